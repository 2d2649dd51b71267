### Страницы, где человек входит и действует: подпись, новая петиция, комментарии к проекту,
### «Моя страница».

## Вход и выход; учётная запись в шапке

sign-in = Войти
sign-out = Выйти
signed-in-as = Вы вошли как
my-page = Моя страница
back-office = Служебный кабинет
account-nav-label = Ваша учётная запись
role-citizen = Гражданин
role-official = Государственный служащий
role-moderator = Модератор
role-admin = Администратор
sign-in-unavailable-title = Вход сейчас недоступен
sign-in-unavailable-text = Поставщик идентификации не отвечает. Ничего не изменилось. Попробуйте через несколько минут; петиции и проекты можно читать и без входа.
sign-in-failed-title = Войти не удалось
sign-in-failed-text = Вход не завершился или занял слишком много времени. Ничего не изменилось. Начните снова со страницы, на которой вы были.
forbidden-title = Эту форму нельзя принять
forbidden-text = Форма устарела или отправлена с другого сайта, поэтому ничего не изменилось. Вернитесь назад, обновите страницу и попробуйте снова.
citizens-only-title = Это могут делать только граждане
citizens-only-text = Подписывать и создавать петиции могут граждане, вошедшие под своей учётной записью. Служебные учётные записи подписывать не могут.

## Формы

error-prefix = Ошибка:{" "}
error-summary-title = Есть проблема
back = Назад
cancel = Отмена
choose = Выберите…
continue-button = Продолжить
change-link = Изменить

## Сообщения после действия

flash-signed = Ваша подпись добавлена. Спасибо.
flash-withdrawn = Ваша подпись отозвана.
flash-petition-submitted = Ваша петиция отправлена на модерацию.
flash-comment-posted = Ваш комментарий опубликован.
flash-reply-posted = Ваш ответ опубликован.
flash-comment-edited = Ваш комментарий изменён. Прежняя редакция остаётся в его открытой истории.
flash-stance-taken = Ваше мнение учтено.
flash-flagged = Спасибо. Модераторы посмотрят этот комментарий.
flash-erased = Ваши персональные данные удалены ({ $count ->
    [one] { $count } имя стало нечитаемым
    [few] { $count } имени стали нечитаемыми
   *[many] { $count } имён стали нечитаемыми
}). Ваши подписи по-прежнему учитываются.
flash-signed-in = Вы вошли.
flash-session-ended = Сеанс завершён, и вы вышли из системы. Войдите снова, чтобы продолжить.
flash-sign-in-cancelled = Вход отменён.

## Подпись и её отзыв

sign-petition = Подписать петицию
sign-in-to-sign = Войдите, чтобы подписать петицию
signed-on = Вы подписали эту петицию { $date }.
withdrawn-on = Вы отозвали подпись { $date }. Отозванную подпись нельзя поставить снова.
signature-invalidated-note = Ваша подпись снята модератором; причина опубликована на странице петиции.
sign-title = Подписать петицию
sign-lead = Вы подписываете:
residents-only = Подписать эту петицию могут только жители региона: { $region }.
show-name-legend = Показывать ваше имя в открытом списке подписавших?
show-name-hint = Показываются только имя и первая буква фамилии. Подпись учитывается в любом случае, а имя можно убрать позже, удалив свои персональные данные.
show-name-yes = Да, показывать «{ $name }»
show-name-no = Нет, учитывать подпись без имени
sign-declaration = Вы подписываете один раз и от своего имени. Пока петиция открыта, подпись можно отозвать, но отозванную подпись нельзя поставить снова.
sign-button = Подписать петицию
error-choose-show-name = Выберите, показывать ли ваше имя
withdraw-signature = Отозвать мою подпись
withdraw-title = Отозвать подпись?
withdraw-text = Ваша подпись больше не будет учитываться, и подписать эту петицию снова будет нельзя.
withdraw-button = Отозвать мою подпись
keep-signature = Оставить подпись

## Новая петиция

new-petition = Создать петицию
new-petition-addressee-title = Кто должен ответить на вашу петицию?
new-petition-texts-title = О чём ваша петиция?
new-petition-check-title = Проверьте петицию перед отправкой
field-addressee = Государственный орган
hint-addressee = Выберите Правительство для общегосударственного вопроса или акимат либо маслихат своего региона или города для местного.
terms-heading = Что из этого следует
terms-threshold = { $count ->
    [one] Нужна { $count } подпись, чтобы { $body } был обязан ответить.
    [few] Нужно { $count } подписи, чтобы { $body } был обязан ответить.
   *[many] Нужно { $count } подписей, чтобы { $body } был обязан ответить.
}
terms-residents = Подписать могут жители региона «{ $region }» в возрасте от { $age } лет.
terms-everyone = Подписать может любой гражданин в возрасте от { $age } лет.
terms-collection = { $months ->
    [one] Подписи собираются { $months } месяц после публикации.
    [few] Подписи собираются { $months } месяца после публикации.
   *[many] Подписи собираются { $months } месяцев после публикации.
}
terms-startup = Чтобы петиция появилась в каталоге, за { $days ->
    [one] { $days } рабочий день
    [few] { $days } рабочих дня
   *[many] { $days } рабочих дней
} после публикации нужно собрать { $count } подписей.
terms-moderation = Модератор проверяет её на соответствие правилам публикации в течение { $days ->
    [one] { $days } рабочего дня
   *[other] { $days } рабочих дней
}.
terms-answer = После достижения порога { $body } должен ответить в течение { $days ->
    [one] { $days } рабочего дня
   *[other] { $days } рабочих дней
}.
change-addressee = Выбрать другой орган
field-petition-language = Язык петиции
hint-petition-language = Пишите на казахском или русском языке. Перевод можно добавить позже.
field-title = Название
hint-title = Коротко о том, чего вы хотите, до { $max } символов.
field-request = Что вы просите сделать?
hint-request = До { $max } символов.
field-background = Обоснование петиции
hint-background = Факты и доводы, до { $max } символов. Не указывайте персональные данные других людей.
submit-declaration = Отправляя петицию, вы подтверждаете, что она ваша и что при отказе в публикации она может быть опубликована вместе с причиной отказа.
submit-petition = Отправить на модерацию
error-choose-addressee = Выберите орган, который должен ответить
error-choose-language = Выберите язык, на котором вы пишете
error-title-empty = Введите название
error-title-long = Название должно быть не длиннее { $max } символов
error-request-empty = Введите, что вы просите
error-request-long = Просьба должна быть не длиннее { $max } символов
error-background-empty = Введите обоснование петиции
error-background-long = Обоснование должно быть не длиннее { $max } символов
petition-sent-title = Ваша петиция отправлена на модерацию
what-next = Что дальше
petition-sent-next = Модератор проверит петицию на соответствие правилам публикации. Если она будет опубликована, соберите первые подписи, поделившись ссылкой; если в публикации откажут, причина появится на вашей странице.
moderation-due = Срок модерации
status-draft = Черновик
status-submitted = На модерации

## Комментарии к проекту

comment-on-provision = Прокомментировать это положение
comment-on-draft = Прокомментировать проект целиком
comment-provision-title = Комментарий к положению
comment-draft-title = Комментарий к проекту целиком
reply-title = Ответ на комментарий
edit-title = Изменение комментария
replying-to = Вы отвечаете на:
field-quote = Слова, к которым относится комментарий (необязательно)
hint-quote = Скопируйте их точно из положения выше. Если включён JavaScript, их можно выделить в тексте.
field-channel = От имени
field-comment-language = Язык комментария
hint-edit = Комментарий можно изменить, пока на него никто не ответил. Прежняя редакция остаётся в открытой истории.
field-comment = Ваш комментарий или предложение
field-reply = Ваш ответ
hint-comment = До { $max } символов. Комментарии публичны; не указывайте персональные данные.
post-comment = Опубликовать комментарий
post-reply = Опубликовать ответ
save-changes = Сохранить изменения
error-comment-empty = Введите комментарий
error-comment-long = Комментарий должен быть не длиннее { $max } символов
commenting-closed-title = Приём комментариев завершён
commenting-closed-text = Это обсуждение больше не принимает комментарии. Все предложения и ответы на них можно читать.
agree-button = Согласен
disagree-button = Не согласен
reply = Ответить
edit = Изменить
flag = Пожаловаться
flag-title = Жалоба модераторам на комментарий
flag-text = Модератор прочитает комментарий. Если он нарушает правила, его скроют с указанием причины; комментарии никогда не удаляются.
flag-reason-legend = Что с ним не так?
flag-reason-abusive = Оскорбления или грубость
flag-reason-spam = Спам или реклама
flag-reason-personal-data = Раскрыты чьи-то персональные данные
flag-reason-unlawful = Противоречит закону
flag-reason-off-topic = Не относится к проекту
flag-button = Отправить жалобу
error-choose-flag-reason = Выберите, что не так с комментарием

## Моя страница

my-signatures = Мои подписи
my-signatures-none = Вы пока не подписали ни одной петиции.
signed-label = подписано
withdrawn-label = отозвано
my-petitions = Мои петиции
my-petitions-none = Вы пока не создали ни одной петиции.
my-comments = Мои комментарии
my-comments-none = Вы пока не комментировали проекты.
kind-proposal = Предложение
kind-reply = Ответ
awaiting-answer = Ожидает ответа государственного органа.
my-data = Ваши персональные данные
my-data-text = Ваше имя, если вы решили его показывать, хранится в зашифрованном виде и может быть удалено в любой момент. Подписи при этом учитываются: число подписей — открытая информация, ваша личность — нет.
erase-link = Удалить мои персональные данные
erase-title = Удалить ваши персональные данные?
erase-text = Это действие нельзя отменить.
erase-point-names = Ваше имя исчезнет из всех списков подписавших, где вы решили его показывать.
erase-point-counts = Ваши подписи по-прежнему учитываются, а комментарии остаются — без вашего имени.
erase-point-final = Вы остаётесь в системе; удаление записывается, не называя вас.
erase-button = Удалить мои персональные данные

## Отказы API команд, как их читает человек

problem-already-signed = Вы уже подписали эту петицию.
problem-withdrawn-earlier = Вы уже отзывали подпись под этой петицией. Отозванную подпись нельзя поставить снова.
problem-petition-closed = Петиция закрыта и больше не принимает подписи.
problem-not-resident = Подписать могут только жители региона: { $region }.
problem-too-young = Подписывать петиции можно с { $age } лет.
problem-not-signed = Вы не подписывали эту петицию.
problem-already-withdrawn = Ваша подпись уже отозвана.
problem-signature-invalidated = Ваша подпись снята модератором и не может быть изменена.
problem-petition-not-found = Эту петицию нельзя подписать: сбор подписей не открыт.
problem-no-display-name = Поставщик идентификации не передал имя для показа. Подпишите без указания имени.
problem-rate-limited = Слишком много попыток за короткое время. Попробуйте снова через { $seconds ->
    [one] { $seconds } секунду
    [few] { $seconds } секунды
   *[many] { $seconds } секунд
}.
problem-forbidden = Ваша учётная запись не может это сделать.
problem-unknown-body = Выберите орган из списка.
problem-kazakh-or-russian-required = Напишите петицию на казахском или русском языке.
problem-empty-text = Введите текст.
problem-text-too-long = Текст слишком длинный.
problem-commenting-closed = Это обсуждение сейчас не принимает комментарии.
problem-unknown-provision = Этого положения нет в текущей редакции проекта.
problem-quote-not-found = Цитируемых слов нет в этом положении. Скопируйте их точно или оставьте поле пустым.
problem-quote-without-provision = Цитата должна относиться к положению проекта.
problem-comment-hidden = Этот комментарий скрыт модератором.
problem-not-author = Изменить комментарий может только его автор.
problem-comment-has-replies = На комментарий уже ответили, поэтому его нельзя изменить.
problem-own-comment = Нельзя соглашаться или не соглашаться со своим комментарием.
problem-already-flagged = Вы уже пожаловались на этот комментарий.
problem-reply-too-deep = Здесь нельзя отвечать глубже. Ответьте на комментарий выше.
problem-wrong-channel = Вы не можете комментировать от имени этого канала.
problem-own-consultation = Ваша организация не может комментировать собственное обсуждение.
problem-invalid-input = Часть введённых данных не может быть принята. Проверьте и попробуйте снова.
problem-unavailable = Сервис не ответил, поэтому ничего не изменилось. Попробуйте через минуту.
problem-other = Сейчас это сделать нельзя (причина: { $code }). Ничего не изменилось.

# Notifications on My page
my-notifications = Уведомления
my-notifications-none = Пока ничего нет. Когда подписанная или созданная вами петиция либо ваше предложение получат движение, вы прочитаете об этом здесь.
notifications-unread = { $count ->
    [one] { $count } непрочитанное
    [few] { $count } непрочитанных
    [many] { $count } непрочитанных
   *[other] { $count } непрочитанного
}
mark-all-read = Отметить все как прочитанные
flash-notifications-read = Уведомления отмечены как прочитанные.
notice-petition-published = Ваша петиция опубликована, идёт сбор подписей.
notice-petition-rejected = Ваша петиция не опубликована: { $detail }.
notice-petition-threshold-reached = Петиция, за которой вы следите, набрала нужное число подписей и направлена в государственный орган для ответа.
notice-petition-answered = На петицию, за которой вы следите, дан ответ: { $detail }.
notice-petition-answer-overdue = Срок ответа на петицию, за которой вы следите, истёк.
notice-petition-closed = Сбор подписей под петицией, за которой вы следите, завершён.
notice-petition-stopped = Модератор остановил петицию, за которой вы следите: { $detail }
notice-comment-replied = На ваше предложение ответили.
notice-proposal-answered = На ваше предложение дан ответ: { $detail }.
notice-comment-hidden = Модератор скрыл ваш комментарий: { $detail }.
notice-consultation-version = У проекта, который вы комментировали, новая редакция: { $detail }.
notice-consultation-report = Опубликован итоговый отчёт обсуждения, в котором вы участвовали.

notice-consultation-opened = Госорган, за которым вы следите, открыл проект для публичного обсуждения.

# Notification settings (My page) and one-click unsubscribe.
notify-settings-link = Настройки уведомлений
notify-title = Настройки уведомлений
notify-intro = Всё всегда приходит во входящие на «Моей странице». Почта — дополнительно: укажите адрес и как часто писать.
notify-email = Адрес электронной почты
notify-email-hint = Оставьте пустым, чтобы не получать писем.
notify-bounced = Сервер получателя отказался принимать почту на этот адрес (ответ { $code }), поэтому мы перестали писать. Сохраните адрес снова, когда он заработает, или укажите другой.
notify-language = Язык писем
notify-frequency = Как часто
notify-frequency-immediate = Сразу, по письму на каждое событие
notify-frequency-daily = Ежедневная сводка
notify-frequency-weekly = Еженедельная сводка
notify-frequency-off = Без писем
notify-save = Сохранить
notify-saved = Настройки уведомлений сохранены.
notify-subscriptions = О чём вы получаете уведомления
notify-subscriptions-none = Пока ни о чём: подпись, своя петиция, комментарий или подписка на обновления добавят сюда запись.
notify-reason-signed = вы подписали
notify-reason-author = вы автор
notify-reason-proposal = вы комментировали
notify-reason-follow = вы следите
notify-stopped = остановлено
notify-stop = Остановить
notify-resume = Возобновить
notify-unfollow = Не следить
notify-followed = Теперь вы следите за этим: новости придут во входящие и, если вы так выбрали, на почту.
notify-subject-petition = Петиция
notify-subject-consultation = Обсуждение
notify-subject-body = Госорган
notify-subject-comment = Ответы на ваш комментарий
unsubscribe-title = Отписаться от этих писем
unsubscribe-text = Больше не присылать письма, с которыми пришла эта ссылка? Это можно изменить в настройках уведомлений.
unsubscribe-button = Отписаться
unsubscribe-done = Готово: таких писем больше не будет.
unsubscribe-used = Эта ссылка уже использована: письма уже остановлены.
unsubscribe-invalid = Ссылка недействительна. Измените настройки уведомлений на «Моей странице».
unsubscribe-expired = Срок действия ссылки истёк. Измените настройки уведомлений на «Моей странице».

webhooks-title = Вебхуки для организаций и СМИ
webhooks-intro = Публичные события выбранного вами отправляются на ваш сервер, как только происходят, с подписью в формате Standard Webhooks (проверяйте webhook-signature своим секретом).
webhooks-none = Адресов пока нет.
webhook-url = Адрес вашего сервера (https)
webhook-topics = Что он получает
webhook-topics-hint = По одному в строке: petition:<id>, consultation:<id> или body:<id> (петиции и обсуждения госоргана). Оставьте пустым, чтобы получать все публичные события.
webhook-add = Добавить адрес
webhook-added = Адрес добавлен. Секрет для подписи, показывается один раз: { $secret }
webhook-all = все публичные события
webhook-active = работает
webhook-disabled = отключён: { $reason }
webhook-log = доставлено { $delivered }, не доставлено { $failed }, ждут { $pending }
webhook-enable = Включить снова
webhook-delete = Удалить
webhook-deleted = Адрес удалён.
webhook-enabled = Адрес снова включён.
problem-invalid-url = Укажите https-адрес вашего сервера (не в частной сети).
problem-invalid-subject = Каждая строка — petition:<id>, consultation:<id> или body:<id>.
problem-too-many-webhooks = У вас уже десять адресов: сначала удалите один.
problem-unknown-webhook = Такого адреса у вас нет (уже удалён?).
problem-unknown-subject = Здесь нет ничего публичного, за чем можно следить.
