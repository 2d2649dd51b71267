### Tyndau's web front: the interface texts in Russian.
###
### The same messages, with the same variables, are in kk/, ru/ and en/main.ftl (a test checks it).
### Variables are written by the site: numbers grouped by thousands, dates in Kazakhstan's time.
### Texts written by people (petitions, drafts, comments, names of bodies and regions) are not here.

## The frame of every page

site-name = Тыңдау
tagline = Петиции и общественные обсуждения

# A link for keyboard users that jumps over the menu to the page's content.
skip = Перейти к основному содержанию

# The main menu's name, read by screen readers.
nav-label = Основное меню
nav-home = Главная
nav-stats = Статистика
nav-bodies = Государственные органы

# The label of the language switch.
language = Язык

# A link to the machine-readable API of the same data.
footer-open-data = Открытые данные: API запросов
footer-time-zone = Время указано по Казахстану (UTC+5).

# Under a text its author did not give in this page's language. { $shown } is the code of the
# language it is shown in instead: kk, ru or en.
fallback-note =
    Автор не предоставил текст на русском языке, поэтому он показан на { $shown ->
        [kk] казахском
        [ru] русском
       *[en] английском
    } языке.

## Home page

home-title = Петиции и общественные обсуждения
home-intro = Петиции граждан, обсуждение проектов законов и ответы государственных органов — всё открыто.

# Headings of the home page's lists of petitions.
most-signed = Больше всего подписей

# Petitions nearest to their signature threshold.
nearest = Ближе всего к порогу
newest = Новые

# Petitions that gained the most signatures in the last hour.
fastest = Быстрее всего за последний час

# After a number of new signatures: "+12 in the last hour".
in-last-hour = за последний час
answered-recently = Недавно получили ответ
closing-soon = Скоро завершатся обсуждения

# Shown instead of an empty list.
nothing-yet = Пока ничего нет.
petitions-heading = Петиции
consultations-heading = Общественные обсуждения

## Petition page

# A small heading above a petition's title.
petition = Петиция
addressee = Адресат

# The addressed body's level (national, regional, city), as a label.
level = Уровень
status = Статус

# The region of a regional or city body, as a label.
region-scope = Регион

# Headings of a petition's two texts: the argument, and what exactly is asked.
background = Обоснование
request = Что просят
signatures-heading = Подписи

# The name of the progress bar, read by screen readers.
progress-label = Прогресс до порога
threshold-reached = Порог достигнут

# Under the signature count while it updates itself.
live-note = Число обновляется в реальном времени.

# The count when the collection ended, as a label: "Final count: 12 345".
final-count = Итоговое число
dates-heading = Сроки
published = Опубликована

# Labels of a petition's deadlines, each followed by a date.
closes = Сбор подписей завершится

# The deadline for the first signatures that make a new petition publicly listed.
startup-due = Срок сбора стартовых подписей
answer-due = Срок ответа
next-heading = Что дальше
answer-heading = Официальный ответ

# Labels of the official answer's details.
answered-by = Ответивший орган
answered-on = Дата ответа

# After the answer's date: whether the body answered by its deadline.
on-time = в срок
late = с опозданием
rejection-heading = Причина отказа в публикации
stop-heading = Причина остановки

# How the collection of signatures ended, as a label: "Outcome: …".
outcome = Итог

# Signatures gathered out of the threshold. { $count } and { $threshold } are numbers.
count-of-threshold = { $count } из { $threshold } подписей

# A petition's status, on lists and on its page.
petition-status-rejected = Отклонена
petition-status-open = Идёт сбор подписей
petition-status-closed = Сбор подписей завершён
petition-status-stopped = Остановлена
petition-status-archived = В архиве

# The level of the addressed state body.
level-government = Республиканский
level-oblast-akimat = Акимат области
level-oblast-maslikhat = Областной маслихат
level-city-akimat = Акимат города
level-city-maslikhat = Городской маслихат

# The addressee's decision on a petition.
decision-satisfied = Удовлетворена
decision-partially-satisfied = Удовлетворена частично
decision-refused = Отказано

# Why a moderator refused to publish a petition.
rejection-reason-prohibited-subject = Тема, которую петиция не может затрагивать
rejection-reason-unlawful-content = Противоправное содержание
rejection-reason-duplicate = Повторяет открытую петицию
rejection-reason-wrong-addressee = Не относится к компетенции адресата
rejection-reason-personal-matter = Личный вопрос (для обращения через e-Otinish)
rejection-reason-unclear = Неясно, что просят
rejection-reason-advertising = Реклама

# Why the collection of signatures was stopped early.
stop-reason-rules-breach = Нарушение правил
stop-reason-fraud = Мошенничество
stop-reason-legal-order = Требование закона или суда
stop-reason-author-request = По просьбе автора

# How the collection of signatures ended.
closing-outcome-startup-gate-missed = Стартовые подписи не собраны вовремя
closing-outcome-threshold-not-reached = Порог не достигнут
closing-outcome-threshold-reached = Порог достигнут

# "What happens next" on a petition's page.
next-step-collecting-startup = Идёт сбор первых подписей: набрав их, петиция появится в общем списке.
next-step-collecting = Идёт сбор подписей. При достижении порога петиция направляется адресату, который обязан ответить в установленный срок.
next-step-awaiting-answer = Порог достигнут: ожидается ответ адресата.
next-step-answer-overdue = Срок ответа истёк, а ответа всё ещё нет.
next-step-answered = Адресат ответил; ответ опубликован ниже.
next-step-closed = Сбор подписей завершён без достижения порога: дальнейших действий не будет.
next-step-rejected = Модератор не опубликовал петицию; причина указана ниже.
next-step-stopped = Сбор подписей остановлен досрочно; причина указана ниже.
next-step-archived = Петиция в архиве; вся её история сохраняется.

# Events of a petition's history (its timeline).
petition-event-drafted = Создан проект
petition-event-submitted = Отправлена на модерацию
petition-event-rejected = Отклонена модератором
petition-event-published = Опубликована
petition-event-listed = Включена в общий список
petition-event-threshold-reached = Достигнут порог
petition-event-closed = Сбор подписей завершён
petition-event-stopped = Остановлена
petition-event-answer-overdue = Просрочен ответ
petition-event-answered = Получен ответ
petition-event-archived = Перенесена в архив
petition-event-signatures-invalidated = Модератор снял подписи
petition-event-anonymised = Персональные данные подписавших удалены по истечении срока хранения

## Signature charts and tables (petition and statistics pages)

# Headings and captions of the signature charts and their tables.
over-time = Подписи по времени
over-time-caption = Подписи по периодам

# The unit of the signatures chart, also in its summary: "15 signatures, per hour (2 periods)".
per-hour = по часам
per-day = по дням

# A column header: one period (hour or day) of the chart.
period = Период
no-signatures = Подписей пока нет.
by-region = Подписи по регионам
by-region-caption = Подписи по регионам подписавших

# Under the map of regions.
map-legend = Чем темнее цвет, тем больше подписей.

# A column header.
region = Регион

# Shown instead of a count between 1 and 4.
fewer-than-five = менее 5

# A regional count withheld so that a small count elsewhere cannot be derived from the total.
withheld = скрыто

# Signers whose region is not known.
unspecified = Не указан
total = Всего
small-counts-note = Числа от 1 до 4 показываются как «менее 5», чтобы по ним нельзя было узнать людей; чтобы их нельзя было вычислить вычитанием из итога, могут быть скрыты и числа ещё одного-двух регионов.

# The heading of a petition's history of events.
timeline = История

# Opens the table of figures behind a chart.
show-table = Показать таблицу

# The summary of a bar chart, under it and for screen readers. { $total } is a count of signatures
# ("15 signatures"), { $unit } the chart's unit (per-hour or per-day above), { $periods } a count of
# periods ("2 periods"), { $busiest } the busiest period with its count ("5 March 2025 (1 234)").
chart-summary = { $total }, { $unit } ({ $periods }). Больше всего: { $busiest }.

# The summary of the map of regions. { $total } is a count of signatures ("15 signatures"), { $top } the
# regions with the most signatures, each with its count: "Astana (12), Almaty (9)".
map-summary = { $total }. Больше всего: { $top }.

# The same when no region has a signature yet.
map-summary-empty = { $total }.

# Short names of the regions, to fit a tile of the map (the full names are data, not interface texts).
region-short-abai = Абай
region-short-akmola = Акмола
region-short-aktobe = Актобе
region-short-almaty-region = Алматинская
region-short-atyrau = Атырау
region-short-east-kazakhstan = ВКО
region-short-zhambyl = Жамбыл
region-short-zhetysu = Жетісу
region-short-west-kazakhstan = ЗКО
region-short-karaganda = Караганда
region-short-kostanay = Костанай
region-short-kyzylorda = Кызылорда
region-short-mangystau = Мангистау
region-short-pavlodar = Павлодар
region-short-north-kazakhstan = СКО
region-short-turkestan = Туркестан
region-short-ulytau = Улытау
region-short-astana = Астана
region-short-almaty = Алматы
region-short-shymkent = Шымкент

## Consultation page

consultation = Общественное обсуждение

# The state body that drafted the act under consultation, as a label.
developed-by = Разработчик

# Labels of a consultation's dates.
comment-period = Срок обсуждения
comments-close = Обсуждение завершится

# A column header: a provision (article, paragraph) of the draft.
provision-header = Положение

# A column header: through which channel a proposal came (citizen, organisation, …).
channel = Канал

# A duration shorter than an hour (for example the median time to answer).
under-an-hour = менее часа

# Headings of a consultation's documents.
summary = Краткое содержание
explanatory-note = Пояснительная записка
draft-heading = Текст проекта
versions = Редакции

# After a version's name: "Version 3 (current)".
current = текущая

# Proposals about the draft as a whole rather than one provision.
whole-draft = Проект в целом

# Proposals whose provision is gone from the newest version.
orphaned = Предложения без привязки к тексту
orphaned-note = Текста, к которому относились эти предложения, нет в новой редакции.
proposals-heading = Предложения
all-proposals = Все предложения
show = Показать
quote = Цитата

# Reactions to a proposal, each followed by its count.
agree = Согласны
disagree = Не согласны

# A mark on a comment its author edited.
edited = изменено

# The developer's answer to a proposal, as a label; also a column header.
answer = Ответ

# Before the reason given with an answer.
reason = Обоснование

# Before where the draft changed because of a proposal: "Changed in: Version 2, Provision a1.p2".
changed-in = Изменено в
hidden-by-moderator = Скрыто модератором

# On a proposal left unanswered past the deadline.
overdue-answer = Срок ответа истёк
organisation = Организация

# The author of a comment who wrote as a private person.
citizen = Гражданин
next-page = Следующая страница
first-page = Первая страница

# The comparison of two versions of the draft.
diff-heading = Изменения между редакциями

# The button that shows the changes between the two chosen versions.
compare = Сравнить
from-version = С редакции
to-version = По редакцию

# Column headers of the table of changes between versions.
change = Изменение
before = Было
after = Стало
why = Причина

# Read by screen readers before inserted and deleted words in the table of changes.
inserted = добавлено
deleted = удалено

# The developer's outcome report and its tables.
report-heading = Итоговый отчёт
report-preliminary = Предварительные итоги: разработчик ещё не опубликовал итоговый отчёт.
download-csv = Скачать отчёт в CSV
download-json = Скачать отчёт в JSON
by-answer = По ответам
by-provision = По положениям
by-channel = По каналам

# Figures of the outcome report, each followed by a value.
answers-due = Срок ответов
median-answer-time = Медианное время ответа
answered-late-count = Ответы с опозданием
comments-count = Комментарии

# A version of a draft act, by its number.
version = Редакция { $version }

# A provision of a draft act, by its path ("a1.p2": article 1, paragraph 2).
provision = Положение { $path }

# A consultation's status.
consultation-status-open = Идёт обсуждение
consultation-status-closed = Обсуждение завершено
consultation-status-report-published = Итоговый отчёт опубликован

# The developer's answer to a proposal. "Hidden" and "unanswered" also head rows of the report's table of answers.
disposition-accepted = Принято
disposition-partially-accepted = Принято частично
disposition-rejected = Отклонено
disposition-noted = Принято к сведению
disposition-out-of-scope = Вне предмета проекта
disposition-duplicate = Повторное предложение
disposition-hidden = Скрыто модератором
disposition-unanswered = Без ответа

# Through which channel a comment came.
channel-citizen = Гражданин
channel-organisation = Организация
channel-business-chamber = Палата предпринимателей
channel-public-council = Общественный совет
channel-expert-body = Экспертный орган

# Why a moderator hid a comment (followed by the moderator's explanation).
hide-reason-abusive = Оскорбления
hide-reason-spam = Спам
hide-reason-personal-data = Персональные данные другого лица
hide-reason-unlawful = Призывы к нарушению закона
hide-reason-off-topic = Не по теме

# What happened to a provision between two versions.
change-kind-added = Добавлено
change-kind-removed = Исключено
change-kind-changed = Изменено
change-kind-unchanged = Без изменений

## State bodies

# A small heading above a state body's name on its page.
body-heading = Подотчётность
bodies-title = Государственные органы
bodies-intro = Сведения по каждому органу: сколько петиций получено, как на них ответили, сколько обсуждений проведено.

# A column header: a state body.
body = Орган

# Figures of a state body's record.
petitions-addressed = Адресованные петиции
petitions-received = Петиции, достигшие порога
answered-on-time = Ответ дан в срок
answered-late = Ответ дан с опозданием
overdue = Срок ответа истёк
awaiting = Ожидают ответа
consultations-held = Проведённые обсуждения
proposals-total = Предложения

# Proposals counted by the body's answer.
accepted = Принято
partially-accepted = Принято частично
rejected = Отклонено
other-answers = Другие ответы (к сведению, вне предмета, повтор)
unanswered = Без ответа

# A column header: a share, in per cent.
share = Доля

# A column header: a number.
count = Количество
recent-petitions = Последние петиции
recent-consultations = Последние обсуждения

# Instead of a figure that cannot be computed yet.
no-data = Нет данных

## Statistics

stats-title = Статистика
stats-intro = Подписи под всеми публичными петициями.
participation-region = Участие по регионам
participation-time = Участие по времени
last-90-days = Подписи за последние 90 дней

# A column header: a date.
day = День

## Error pages

not-found-title = Страница не найдена
not-found-text = Такой страницы нет, или она ещё не опубликована.
error-title = Что-то пошло не так
error-text = Не удалось показать страницу. Попробуйте позже.
unavailable-text = Сервис временно недоступен. Попробуйте через несколько секунд.
go-home = На главную

## Counts

# A number of things. { $count } is the number, which picks the form: [one] 1, 21, 101, …;
# [few] 2–4, 22–24, …; [many] 0, 5–20, 25–30, 111, ….
signatures =
    { $count ->
        [one] { $count } подпись
        [few] { $count } подписи
       *[many] { $count } подписей
    }
proposals =
    { $count ->
        [one] { $count } предложение
        [few] { $count } предложения
       *[many] { $count } предложений
    }
replies =
    { $count ->
        [one] { $count } ответ
        [few] { $count } ответа
       *[many] { $count } ответов
    }
periods =
    { $count ->
        [one] { $count } период
        [few] { $count } периода
       *[many] { $count } периодов
    }
days =
    { $count ->
        [one] { $count } день
        [few] { $count } дня
       *[many] { $count } дней
    }
hours =
    { $count ->
        [one] { $count } час
        [few] { $count } часа
       *[many] { $count } часов
    }

# A duration of days and hours: { $days } is a count of days ("3 days"), { $hours } of hours ("4 hours").
duration-days-hours = { $days } { $hours }

## Dates (Kazakhstan's time)

# A date. { $year } and { $day } are numbers, { $month } a month's name from the list below.
date = { $day } { $month } { $year } г.

# A date without its year, on the axis of a chart.
date-short = { $day } { $month }

# A date with the time of day: { $date } is a date as above, { $time } the time ("14:30").
date-time = { $date }, { $time }

# The months, in the genitive: they follow a day number ("5 ноября").
month-january = января
month-february = февраля
month-march = марта
month-april = апреля
month-may = мая
month-june = июня
month-july = июля
month-august = августа
month-september = сентября
month-october = октября
month-november = ноября
month-december = декабря

# Atom feeds
feed-link = Следить за этой страницей (лента Atom)
feed-new-petitions = Новые петиции
feed-new-answers = Новые ответы государственных органов
feed-petition = Петиция: { $title }
feed-consultation = Публичное обсуждение: { $title }
feed-body = { $body }: петиции, ответы и обсуждения
feed-consultation-opened = Открыто для комментариев: { $title }
feed-comments-until = Комментарии принимаются до { $date }.
feed-consultation-closed = Приём комментариев завершён: { $title }
feed-report-published = Опубликован итоговый отчёт: { $title }
feed-petition-published = Новая петиция: { $title }
feed-petition-answered = Дан ответ: { $title }
follow-button = Следить
follow-hint = Новости придут во входящие на «Моей странице» и, если вы так выбрали, на почту.

## Журнал прозрачности: как проверить подсчёт, и квитанции подписавших
footer-verify = Проверьте подсчёт сами
verify-title = Проверьте подсчёт сами
verify-intro = Каждое публичное событие (петиции, обсуждения и каждая подпись в виде анонимного обязательства) добавляется в публичный журнал, в который можно только дописывать. Каждую контрольную точку журнала подписывает платформа и заверяет независимый свидетель, который отказывает любой контрольной точке, переписывающей то, что он уже видел. С программой проверки ниже нам не нужно верить: она пересчитывает подписи под петицией по журналу и сравнивает с этим сайтом.
verify-keys = Журнал и его ключи
verify-log-url = Адрес журнала
verify-log-key = Открытый ключ журнала
verify-witness-key = Открытый ключ свидетеля
verify-not-configured = Журнал прозрачности на этом сайте не настроен.
verify-build = Соберите программу проверки из исходного кода (Rust) или возьмите копию, которой доверяете:
verify-checkpoint = Проверьте текущую контрольную точку: подпись журнала и заверение свидетеля. Сохраните её с --save, чтобы позже убедиться, что журнал не переписывали.
verify-count = Пересчитайте подписи под петицией по журналу (подписано минус отозвано минус признано недействительными) и сравните с API запросов и этим сайтом:
verify-receipt = Подписывая, вы получаете квитанцию (она есть на «Моей странице»). Проверьте, что ваша подпись есть в журнале:
verify-consistency = Позже проверьте, что сохранённая контрольная точка входит в текущую:
verify-privacy = В журнале нет ИИН, имён, регионов и псевдонимов: подпись — это обязательство, которое открывает только её квитанция, а обязательства одного человека под двумя петициями связать нельзя.
receipt-summary = Квитанция для публичного журнала
receipt-help = Сохраните эту квитанцию. С ней любой может проверить, что ваша подпись есть в публичном журнале; только она показывает, какая запись ваша, поэтому передавайте её, только если хотите.
