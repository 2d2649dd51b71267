# Служебный кабинет: рабочие столы государственных органов, ответы на петиции и предложения,
# подготовка и проведение общественных обсуждений, модерация, журнал аудита.

office-kicker = Служебный кабинет
office-desk = Рабочий стол
office-desk-lead = Что требует вашего внимания: сначала самое срочное, сроки — в рабочих днях. Эти же показатели публикуются на
office-public-record = открытой странице вашего органа
office-not-yours-title = Не входит в ваши полномочия
office-not-yours-text = Эта страница относится к другой роли или другому государственному органу. Если вам нужен доступ к ней, обратитесь к администратору.
office-back = Назад
office-back-to-desk = На рабочий стол
office-back-to-queues = К очередям модерации
office-back-to-proposals = К предложениям
office-public-page = Открыть публичную страницу
office-any = Любой
office-filter = Показать
office-continue = Продолжить
office-next-page = Следующая страница
office-optional = Необязательно.
office-preview = Предварительный просмотр
office-preview-again = Обновить предварительный просмотр
office-preview-heading = Предварительный просмотр: так это увидят все
office-preview-note = Пока ничего не опубликовано.
office-days-left = { $days ->
    [one] остался { $days } рабочий день
    [few] осталось { $days } рабочих дня
    [many] осталось { $days } рабочих дней
   *[other] осталось { $days } рабочего дня
}
office-overdue-by = { $days ->
    [0] просрочено с сегодняшнего дня
    [one] просрочено на { $days } рабочий день
    [few] просрочено на { $days } рабочих дня
    [many] просрочено на { $days } рабочих дней
   *[other] просрочено на { $days } рабочего дня
}
office-language-kk = Казахский язык
office-language-ru = Русский язык

# Рабочий стол
office-petitions-to-answer = Петиции, ожидающие вашего ответа
office-petitions-to-answer-none = Петиций, ожидающих вашего ответа, нет.
office-consultations = Ваши обсуждения
office-consultations-none = У вашего органа пока нет обсуждений.
office-new-consultation = Новое обсуждение
office-col-petition = Петиция
office-col-signatures = Подписи
office-col-reached = Порог достигнут
office-col-answer-due = Срок ответа
office-col-consultation = Обсуждение
office-col-status = Статус
office-col-proposals = Предложения
office-col-unanswered = Без ответа
office-col-deadline = Срок
office-comments-until = Приём комментариев до
office-answers-due = Срок ответов
office-status-drafted = Черновик, не опубликован
office-status-open = Идёт приём комментариев
office-status-closed = Обсуждение завершено, идёт подготовка ответов
office-status-report-published = Итоговый отчёт опубликован
office-queues = Очереди модерации
office-pending-petitions = Петиции на модерации
office-flagged-comments = Комментарии с жалобами
office-invalidation = Снятие подписей
office-audit = Журнал аудита
office-audit-open = Открыть журнал аудита

# Ответ на петицию
office-answer-petition = Ответ на петицию
office-field-decision = Решение
office-field-answer-kk = Мотивированный ответ на казахском языке
office-field-answer-ru = Мотивированный ответ на русском языке
office-field-answer-en = Ответ на английском языке
office-answer-hint = Укажите, что будет сделано, кем и в какой срок, либо почему нет. Ответ публикуется вместе с петицией.
office-publish-answer = Опубликовать ответ
office-error-decision = Выберите решение
office-error-answer-kk = Напишите ответ на казахском языке
office-error-answer-ru = Напишите ответ на русском языке
office-error-too-long = Текст слишком длинный
office-flash-answered = Ответ опубликован.

# Подготовка обсуждения
office-new-consultation-lead = Вставьте или загрузите текст проекта на казахском и русском языках с его нумерацией (разделы, статьи, пункты, подпункты). Сначала проверьте его: до сохранения вы увидите, как он был распознан, — обе языковые версии рядом.
office-field-title = Название
office-field-summary = Краткое содержание
office-field-note = Пояснительная записка
office-field-draft-kk = Текст проекта на казахском языке
office-field-draft-ru = Текст проекта на русском языке
office-hint-draft-kk = Например: "1-бап. Тақырып", затем "1. …", "1) …" — каждое с новой строки.
office-hint-draft-ru = Например: "Статья 1. Заголовок", затем "1. …", "1) …", "а) …" — каждое с новой строки.
office-field-upload = Или загрузите текстовый файл (.txt, UTF-8)
office-check-draft = Проверить проект
office-save-draft = Сохранить проект
office-parsed-heading = Как распознан проект
office-parsed-hint = Каждая строка — одно положение; граждане будут комментировать их по отдельности. Если строка распознана неверно, исправьте текст выше и проверьте снова.
office-col-provision = Положение
office-parity-heading = Отсутствует на одном из языков
office-missing = отсутствует
office-missing-in = { $provision }: отсутствует ({ $language })
office-error-title-kk = Введите название на казахском языке
office-error-title-ru = Введите название на русском языке
office-error-summary-kk = Введите краткое содержание на казахском языке
office-error-summary-ru = Введите краткое содержание на русском языке
office-error-note-kk = Введите пояснительную записку на казахском языке
office-error-note-ru = Введите пояснительную записку на русском языке
office-error-draft-kk = Вставьте или загрузите текст проекта на казахском языке
office-error-draft-ru = Вставьте или загрузите текст проекта на русском языке
office-error-upload = Не удалось прочитать загруженный файл; попробуйте снова
office-error-file-too-large = Файл больше 4 МБ
office-error-file-not-text = Файл не является текстом в кодировке UTF-8; сохраните его как обычный текст и попробуйте снова
office-parse-no-provisions = Не найдено ни одной статьи, пункта или раздела: каждый должен начинаться с новой строки и иметь номер вида "1-бап", "Статья 1", "1." или "1)"
office-parse-out-of-order = Строка { $line }: "{ $found }" нарушает нумерацию (ожидалось { $expected })
office-parse-orphan = Строка { $line }: "{ $found }" не относится ни к одной статье
office-parse-bad-number = Строка { $line }: "{ $found }" не может быть номером положения
office-parse-too-many = В проекте больше { $limit } положений
office-flash-drafted = Проект сохранён. Он не будет опубликован, пока вы не откроете обсуждение.

# Проведение обсуждения
office-open-heading = Открытие обсуждения
office-field-closes-on = Комментарии принимаются до (включительно)
office-hint-closes-on = Не менее { $days ->
    [one] { $days } рабочего дня
    [few] { $days } рабочих дней
    [many] { $days } рабочих дней
   *[other] { $days } рабочего дня
}; самая ранняя дата окончания — { $date }.
office-open = Открыть обсуждение
office-error-date = Введите дату: день, месяц и год
office-flash-opened = Обсуждение открыто для комментариев.
office-work-heading = Работа с обсуждением
office-proposals = Предложения
office-new-version = Опубликовать новую редакцию
office-report-heading = Итоговый отчёт
office-report-blocked = { $count ->
    [one] { $count } предложение всё ещё без ответа
    [few] { $count } предложения всё ещё без ответа
    [many] { $count } предложений всё ещё без ответа
   *[other] { $count } предложения всё ещё без ответа
}
office-publish-report = Опубликовать отчёт
office-field-report-summary-kk = Итоги обсуждения на казахском языке
office-field-report-summary-ru = Итоги обсуждения на русском языке
office-report-tally = Предложения по ответам
office-report-csv = Все предложения и ответы на них (CSV)
office-flash-report = Итоговый отчёт опубликован.

# Новая редакция
office-new-version-lead = Вставьте или загрузите полный текст новой редакции на обоих языках. Перед публикацией вы увидите изменения по каждому положению и то, к чему будет привязано каждое предложение.
office-check-version = Сравнить с текущей редакцией
office-publish-version = Опубликовать эту редакцию
office-diff-heading = Что изменилось
office-diff-none = Изменений нет.
office-col-change = Изменение
office-col-before = Было
office-col-after = Стало
office-moves-heading = Привязка предложений
office-moves-none = Ни одно предложение не привязано к положению.
office-col-proposal = Предложение
office-col-from = Сейчас
office-col-to = Будет
office-col-how = Как
office-anchor-same = То же положение
office-anchor-moved = Перенесено
office-anchor-orphaned = Без привязки
office-flash-version = Новая редакция опубликована.

# Предложения
office-show-answered = Показывать и предложения с ответом
office-col-channel = Канал
office-col-region = Регион
office-col-id = Номер
office-whole-draft = Проект в целом
office-proposals-none = Подходящих предложений нет.
office-answer = Ответить
office-change-answer = Изменить ответ
office-bulk-select = Предложения для совместного ответа
office-bulk-tick = Повторное: ответить вместе с остальными ниже
office-bulk-heading = Совместный ответ на повторные предложения
office-bulk-hint = Отметьте предложения, повторяющие одно и то же предложение, укажите его номер и одно обоснование; каждое отмеченное предложение получит ответ «Повторное предложение».
office-field-original = Номер исходного предложения
office-hint-original = Указан у каждого предложения.
office-bulk-submit = Ответить на отмеченные предложения
office-error-none-selected = Отметьте хотя бы одно предложение
office-duplicates-partial = { $count ->
    [one] До отказа ответ был дан на { $count } предложение.
    [few] До отказа ответ был дан на { $count } предложения.
    [many] До отказа ответ был дан на { $count } предложений.
   *[other] До отказа ответ был дан на { $count } предложения.
}
office-flash-duplicates = Ответы на повторные предложения опубликованы.
office-answer-proposal = Ответ на предложение
office-thread = Предложение и ответы на него
office-answer-history = Прежние ответы (остаются открытыми)
office-field-disposition = Решение
office-field-reason-kk = Обоснование на казахском языке
office-field-reason-ru = Обоснование на русском языке
office-hint-reason = Решение без обоснования — не ответ: объясните причину.
office-field-duplicate-of = Повторяет предложение (номер)
office-field-changed = Что изменено по этому предложению
office-hint-changed = Необязательно: положение (например, a1.p2) и редакция, в которой оно изменено.
office-field-changed-path = Положение
office-field-changed-version = Редакция
office-save-answer = Опубликовать ответ
office-error-reason-kk = Укажите обоснование на казахском языке
office-error-reason-ru = Укажите обоснование на русском языке
office-error-duplicate-of = Укажите номер предложения, которое повторяет это
office-error-version = Укажите редакцию, в которой изменено положение
office-flash-proposal-answered = Ответ опубликован.

# Модерация
office-moderation = Модерация
office-pending-none = Петиций на модерации нет.
office-col-addressee = Адресат
office-col-submitted = Подана
office-col-moderation-due = Решить до
office-flagged-none = Комментариев с жалобами, ожидающих рассмотрения, нет.
office-col-flags = Жалобы
office-flags = { $count ->
    [one] { $count } жалоба
    [few] { $count } жалобы
    [many] { $count } жалоб
   *[other] { $count } жалобы
}
office-review = Рассмотреть
office-field-petition = Адрес или номер петиции
office-hint-petition = Скопируйте его со страницы петиции.
office-error-petition-address = Это не адрес и не номер петиции
office-moderate-petition = Модерация петиции
office-field-moderation = Решение
office-decision-publish = Опубликовать: можно собирать подписи
office-decision-reject = Отказать в публикации
office-hint-reject = При отказе выберите причину из опубликованного перечня и поясните её: автор и все посетители увидят и то, и другое.
office-field-rejection-reason = Причина отказа
office-field-explanation = Пояснение
office-hint-explanation = Видно автору и всем посетителям.
office-save-decision = Сохранить решение
office-error-reason = Выберите причину
office-error-explanation = Напишите пояснение
office-flash-published = Петиция опубликована.
office-flash-rejected = В публикации петиции отказано; автор и все посетители видят причину.
office-moderate-comment = Рассмотрение жалобы на комментарий
office-hide-heading = Скрыть
office-hide-hint = Текст скрывается от всех; то, что он скрыт, и причина остаются открытыми.
office-field-hide-reason = Причина
office-hide = Скрыть комментарий
office-dismiss-heading = Или оставить
office-dismiss-hint = Поступившие жалобы отклоняются; комментарий вернётся на рассмотрение, только если на него пожалуются снова.
office-dismiss = Отклонить жалобы
office-flash-hidden = Комментарий скрыт.
office-flash-dismissed = Жалобы отклонены.
office-invalidation-hint = Задайте правило: период подписания, сеть или и то, и другое. До снятия вы увидите, сколько подписей под него подпадает.
office-field-signed-from = Подписаны с (время Казахстана)
office-field-signed-until = Подписаны по (время Казахстана)
office-hint-local-time = День, месяц, год и время.
office-field-network = Сеть клиента
office-hint-network = Адрес или сеть, например 203.0.113.0/24.
office-field-invalidation-reason = Причина
office-invalidation-automated = Автоматизированное подписание
office-invalidation-stolen-identities = Использование чужих личных данных
office-invalidation-bought = Купленные подписи
office-invalidation-idp-incident = Инцидент у поставщика идентификации
office-hint-public-explanation = Публикуется вместе с числом снятых подписей.
office-error-time = Введите дату и время
office-error-rule-empty = Укажите период или сеть
office-invalidation-would-remove = По этому правилу будет снято: { $signatures }.
office-invalidation-confirm-hint = Пока ничего не снято. Подтвердите снятие; число подписей и причина будут опубликованы.
office-invalidation-confirm = Снять эти подписи
office-invalidation-removed = Снято: { $signatures }.
office-invalidation-public = Сведения о снятии и его причине размещены на публичной странице петиции.

# Журнал аудита
office-audit-none = Ничего не найдено.
office-col-actor-kind = Роль
office-col-actor-id = Кто (псевдоним или табельный номер)
office-col-record-type = Тип записи
office-col-record-id = Запись (идентификатор)
office-col-when = Когда
office-col-actor = Кто
office-col-what = Что
office-col-record = Запись
office-col-origin = Источник
office-actor-system = Система

# Отказы API команд при действиях в служебном кабинете
problem-not-responsible-body = Это обсуждение относится к другому государственному органу. Ничего не изменилось.
problem-not-addressee = Петиция адресована другому государственному органу; ответить на неё могут только его должностные лица. Ничего не изменилось.
problem-translations-missing = Некоторых положений нет на казахском или русском языке, поэтому обсуждение проекта нельзя открыть. Список ниже.
problem-period-too-short = Срок обсуждения короче установленного законом минимума. Выберите более позднюю дату.
problem-unanswered-proposals = На некоторые предложения ещё нет ответа, поэтому отчёт нельзя опубликовать. Сначала ответьте на них.
problem-report-published = Итоговый отчёт уже опубликован; это обсуждение больше нельзя изменить.
problem-consultation-not-closed = Отчёт можно опубликовать только после окончания срока обсуждения.
problem-not-drafted = Это обсуждение уже открыто.
problem-not-open = Это можно сделать, только пока обсуждение открыто или идёт подготовка ответов.
problem-no-changes = Новый текст совпадает с текущей редакцией.
problem-reason-required = Укажите обоснование на казахском и русском языках.
problem-duplicate-target-required = Укажите номер предложения, которое повторяет это.
problem-invalid-duplicate = Этот номер не принадлежит другому предложению этого обсуждения.
problem-duplicate-only-for-duplicates = Исходное предложение указывается, только если решение — «Повторное предложение».
problem-same-answer = Это и так текущий ответ.
problem-not-a-proposal = Ответы на реплики не даются — только на предложения.
problem-unknown-changed-provision = Этого положения нет в указанной редакции.
problem-already-hidden = Этот комментарий уже скрыт.
problem-no-new-flags = Эти жалобы уже отклонены.
problem-nothing-to-invalidate = Под это правило не подпадает ни одна действующая подпись. Ничего не изменилось.
problem-not-submitted = Эта петиция больше не ожидает модерации.
problem-already-answered = На эту петицию уже дан ответ.
problem-not-awaiting-answer = Эта петиция не ожидает ответа.
problem-threshold-not-reached = Петиция не достигла порога, поэтому ответа не ожидает.
problem-duplicate-provision = Два положения имеют одинаковый номер.
problem-missing-parent-provision = Положение не относится ни к одной статье или разделу.
problem-too-many-provisions = В проекте слишком много положений.
problem-empty-draft = В проекте нет ни одного положения.

# Change notes of a new version
office-why-heading = Причина изменения
office-why-hint = Необязательно: одно предложение для каждого изменённого положения; оно публикуется в сравнительной таблице.
office-field-why-kk = Причина на казахском языке
office-field-why-ru = Причина на русском языке
