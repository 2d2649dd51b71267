### Tyndau's web front: the interface texts in Kazakh.
###
### The same messages, with the same variables, are in kk/, ru/ and en/main.ftl (a test checks it).
### Variables are written by the site: numbers grouped by thousands, dates in Kazakhstan's time.
### Texts written by people (petitions, drafts, comments, names of bodies and regions) are not here.

## The frame of every page

site-name = Тыңдау
tagline = Петициялар мен қоғамдық талқылаулар

# A link for keyboard users that jumps over the menu to the page's content.
skip = Негізгі мазмұнға өту

# The main menu's name, read by screen readers.
nav-label = Негізгі мәзір
nav-home = Басты бет
nav-stats = Статистика
nav-bodies = Мемлекеттік органдар

# The label of the language switch.
language = Тіл

# A link to the machine-readable API of the same data.
footer-open-data = Ашық деректер: сұрау API
footer-time-zone = Уақыт Қазақстан уақытымен (UTC+5) көрсетілген.

# Under a text its author did not give in this page's language. { $shown } is the code of the
# language it is shown in instead: kk, ru or en.
fallback-note =
    Автор мәтінді қазақ тілінде бермеген, сондықтан ол { $shown ->
        [kk] қазақ
        [ru] орыс
       *[en] ағылшын
    } тілінде көрсетілген.

## Home page

home-title = Петициялар мен қоғамдық талқылаулар
home-intro = Азаматтардың петициялары, заң жобаларын талқылау және мемлекеттік органдардың жауаптары — бәрі ашық.

# Headings of the home page's lists of petitions.
most-signed = Ең көп қол қойылған

# Petitions nearest to their signature threshold.
nearest = Шекке ең жақын
newest = Ең жаңалары

# Petitions that gained the most signatures in the last hour.
fastest = Соңғы сағатта ең жылдам өскен

# After a number of new signatures: "+12 in the last hour".
in-last-hour = соңғы сағатта
answered-recently = Жақында жауап берілгендер
closing-soon = Жақында аяқталатын талқылаулар

# Shown instead of an empty list.
nothing-yet = Әзірге ештеңе жоқ.
petitions-heading = Петициялар
consultations-heading = Қоғамдық талқылаулар

## Petition page

# A small heading above a petition's title.
petition = Петиция
addressee = Адресат

# The addressed body's level (national, regional, city), as a label.
level = Деңгей
status = Мәртебе

# The region of a regional or city body, as a label.
region-scope = Өңір

# Headings of a petition's two texts: the argument, and what exactly is asked.
background = Негіздеме
request = Талап
signatures-heading = Қолдар

# The name of the progress bar, read by screen readers.
progress-label = Шекке дейінгі прогресс
threshold-reached = Шекке жетті

# Under the signature count while it updates itself.
live-note = Сан нақты уақытта жаңарады.

# The count when the collection ended, as a label: "Final count: 12 345".
final-count = Қорытынды саны
dates-heading = Мерзімдер
published = Жарияланды

# Labels of a petition's deadlines, each followed by a date.
closes = Қол жинау аяқталады

# The deadline for the first signatures that make a new petition publicly listed.
startup-due = Алғашқы қолдарды жинау мерзімі
answer-due = Жауап беру мерзімі
next-heading = Әрі қарай не болады
answer-heading = Ресми жауап

# Labels of the official answer's details.
answered-by = Жауап берген орган
answered-on = Жауап берілген күн

# After the answer's date: whether the body answered by its deadline.
on-time = мерзімінде
late = мерзімі өткен соң
rejection-heading = Жарияламау себебі
stop-heading = Тоқтату себебі

# How the collection of signatures ended, as a label: "Outcome: …".
outcome = Нәтиже

# Signatures gathered out of the threshold. { $count } and { $threshold } are numbers.
count-of-threshold = { $threshold } қолдың { $count }

# A petition's status, on lists and on its page.
petition-status-rejected = Қабылданбады
petition-status-open = Қол жинау жүріп жатыр
petition-status-closed = Қол жинау аяқталды
petition-status-stopped = Тоқтатылды
petition-status-archived = Мұрағатта

# The level of the addressed state body.
level-government = Республикалық
level-oblast-akimat = Облыс әкімдігі
level-oblast-maslikhat = Облыстық мәслихат
level-city-akimat = Қала әкімдігі
level-city-maslikhat = Қалалық мәслихат

# The addressee's decision on a petition.
decision-satisfied = Қанағаттандырылды
decision-partially-satisfied = Ішінара қанағаттандырылды
decision-refused = Бас тартылды

# Why a moderator refused to publish a petition.
rejection-reason-prohibited-subject = Петиция қозғай алмайтын тақырып
rejection-reason-unlawful-content = Заңға қайшы мазмұн
rejection-reason-duplicate = Ашық петицияны қайталайды
rejection-reason-wrong-addressee = Адресаттың құзыретіне жатпайды
rejection-reason-personal-matter = Жеке мәселе (e-Otinish арқылы жолданады)
rejection-reason-unclear = Не сұралатыны түсініксіз
rejection-reason-advertising = Жарнама

# Why the collection of signatures was stopped early.
stop-reason-rules-breach = Ережелер бұзылды
stop-reason-fraud = Алаяқтық
stop-reason-legal-order = Соттың не заңның талабы
stop-reason-author-request = Автордың өтініші

# How the collection of signatures ended.
closing-outcome-startup-gate-missed = Бастапқы қолдар уақытында жиналмады
closing-outcome-threshold-not-reached = Шекке жетпеді
closing-outcome-threshold-reached = Шекке жетті

# "What happens next" on a petition's page.
next-step-collecting-startup = Алғашқы қолдар жиналуда: жеткілікті қол жиналғанда петиция тізімде көрсетіледі.
next-step-collecting = Қол жинау жүріп жатыр. Шекке жетсе, петиция адресатқа жіберіледі және ол белгіленген мерзімде жауап беруге міндетті.
next-step-awaiting-answer = Шекке жетті: адресаттың жауабы күтілуде.
next-step-answer-overdue = Жауап беру мерзімі өтті, бірақ жауап әлі жоқ.
next-step-answered = Адресат жауап берді; жауап төменде жарияланған.
next-step-closed = Қол жинау шекке жетпей аяқталды: бұдан әрі ешнәрсе болмайды.
next-step-rejected = Модератор петицияны жарияламады; себебі төменде көрсетілген.
next-step-stopped = Қол жинау мерзімінен бұрын тоқтатылды; себебі төменде көрсетілген.
next-step-archived = Петиция мұрағатқа жіберілді; оның бүкіл тарихы сақталады.

# Events of a petition's history (its timeline).
petition-event-drafted = Жоба жасалды
petition-event-submitted = Модерацияға жіберілді
petition-event-rejected = Жарияланбады
petition-event-published = Жарияланды
petition-event-listed = Жалпы тізімге енді
petition-event-threshold-reached = Шекке жетті
petition-event-closed = Қол жинау аяқталды
petition-event-stopped = Тоқтатылды
petition-event-answer-overdue = Жауап мерзімі өтті
petition-event-answered = Жауап берілді
petition-event-archived = Мұрағатқа жіберілді
petition-event-signatures-invalidated = Модератор қолдарды алып тастады
petition-event-anonymised = Сақтау мерзімі өткен соң қол қойғандардың дербес деректері жойылды

## Signature charts and tables (petition and statistics pages)

# Headings and captions of the signature charts and their tables.
over-time = Қолдардың уақыт бойынша динамикасы
over-time-caption = Кезең бойынша қойылған қолдар

# The unit of the signatures chart, also in its summary: "15 signatures, per hour (2 periods)".
per-hour = сағат сайын
per-day = күн сайын

# A column header: one period (hour or day) of the chart.
period = Кезең
no-signatures = Әзірге қол қойылмаған.
by-region = Өңірлер бойынша қолдар
by-region-caption = Қол қоюшылардың өңірлері бойынша қолдар

# Under the map of regions.
map-legend = Түс неғұрлым қою болса, қол соғұрлым көп.

# A column header.
region = Өңір

# Shown instead of a count between 1 and 4.
fewer-than-five = 5-тен аз

# A regional count withheld so that a small count elsewhere cannot be derived from the total.
withheld = жасырылған

# Signers whose region is not known.
unspecified = Көрсетілмеген
total = Барлығы
small-counts-note = Адамдарды анықтауға жол бермеу үшін 1-ден 4-ке дейінгі сандар «5-тен аз» деп көрсетіледі; оларды жалпы саннан шегеру арқылы табуға болмас үшін тағы бір-екі өңірдің саны жасырылуы мүмкін.

# The heading of a petition's history of events.
timeline = Тарихы

# Opens the table of figures behind a chart.
show-table = Кестені көрсету

# The summary of a bar chart, under it and for screen readers. { $total } is a count of signatures
# ("15 signatures"), { $unit } the chart's unit (per-hour or per-day above), { $periods } a count of
# periods ("2 periods"), { $busiest } the busiest period with its count ("5 March 2025 (1 234)").
chart-summary = { $total }, { $unit } ({ $periods }). Ең көп: { $busiest }.

# The summary of the map of regions. { $total } is a count of signatures ("15 signatures"), { $top } the
# regions with the most signatures, each with its count: "Astana (12), Almaty (9)".
map-summary = { $total }. Ең көп: { $top }.

# The same when no region has a signature yet.
map-summary-empty = { $total }.

# Short names of the regions, to fit a tile of the map (the full names are data, not interface texts).
region-short-abai = Абай
region-short-akmola = Ақмола
region-short-aktobe = Ақтөбе
region-short-almaty-region = Алматы обл.
region-short-atyrau = Атырау
region-short-east-kazakhstan = ШҚО
region-short-zhambyl = Жамбыл
region-short-zhetysu = Жетісу
region-short-west-kazakhstan = БҚО
region-short-karaganda = Қарағанды
region-short-kostanay = Қостанай
region-short-kyzylorda = Қызылорда
region-short-mangystau = Маңғыстау
region-short-pavlodar = Павлодар
region-short-north-kazakhstan = СҚО
region-short-turkestan = Түркістан
region-short-ulytau = Ұлытау
region-short-astana = Астана
region-short-almaty = Алматы
region-short-shymkent = Шымкент

## Consultation page

consultation = Қоғамдық талқылау

# The state body that drafted the act under consultation, as a label.
developed-by = Әзірлеуші

# Labels of a consultation's dates.
comment-period = Талқылау мерзімі
comments-close = Талқылау аяқталады

# A column header: a provision (article, paragraph) of the draft.
provision-header = Ереже

# A column header: through which channel a proposal came (citizen, organisation, …).
channel = Арна

# A duration shorter than an hour (for example the median time to answer).
under-an-hour = бір сағаттан аз

# Headings of a consultation's documents.
summary = Қысқаша мазмұны
explanatory-note = Түсіндірме жазба
draft-heading = Жоба мәтіні
versions = Нұсқалар

# After a version's name: "Version 3 (current)".
current = ағымдағы

# Proposals about the draft as a whole rather than one provision.
whole-draft = Жоба тұтастай

# Proposals whose provision is gone from the newest version.
orphaned = Мәтінінен айырылған ұсыныстар
orphaned-note = Бұл ұсыныстар сілтеме жасаған мәтін жаңа нұсқада жоқ.
proposals-heading = Ұсыныстар
all-proposals = Барлық ұсыныстар
show = Көрсету
quote = Дәйексөз

# Reactions to a proposal, each followed by its count.
agree = Келісемін
disagree = Келіспеймін

# A mark on a comment its author edited.
edited = өзгертілген

# The developer's answer to a proposal, as a label; also a column header.
answer = Жауап

# Before the reason given with an answer.
reason = Себебі

# Before where the draft changed because of a proposal: "Changed in: Version 2, Provision a1.p2".
changed-in = Өзгертілген жер
hidden-by-moderator = Модератор жасырды

# On a proposal left unanswered past the deadline.
overdue-answer = Жауап мерзімі өтті
organisation = Ұйым

# The author of a comment who wrote as a private person.
citizen = Азамат
next-page = Келесі бет
first-page = Бірінші бет

# The comparison of two versions of the draft.
diff-heading = Нұсқалар арасындағы өзгерістер

# The button that shows the changes between the two chosen versions.
compare = Салыстыру
from-version = Қай нұсқадан
to-version = Қай нұсқаға дейін

# Column headers of the table of changes between versions.
change = Өзгеріс
before = Бұрынғы мәтін
after = Жаңа мәтін
why = Себебі

# Read by screen readers before inserted and deleted words in the table of changes.
inserted = қосылды
deleted = алынды

# The developer's outcome report and its tables.
report-heading = Қорытынды есеп
report-preliminary = Алдын ала нәтижелер: әзірлеуші қорытынды есепті әлі жарияламаған.
download-csv = Есепті CSV түрінде жүктеу
download-json = Есепті JSON түрінде жүктеу
by-answer = Жауаптар бойынша
by-provision = Ережелер бойынша
by-channel = Арналар бойынша

# Figures of the outcome report, each followed by a value.
answers-due = Жауап беру мерзімі
median-answer-time = Жауаптың орташа (медиана) уақыты
answered-late-count = Кешіктіріліп берілген жауаптар
comments-count = Пікірлер

# A version of a draft act, by its number.
version = { $version }-нұсқа

# A provision of a draft act, by its path ("a1.p2": article 1, paragraph 2).
provision = { $path } ережесі

# A consultation's status.
consultation-status-open = Талқылау жүріп жатыр
consultation-status-closed = Талқылау аяқталды
consultation-status-report-published = Қорытынды есеп жарияланды

# The developer's answer to a proposal. "Hidden" and "unanswered" also head rows of the report's table of answers.
disposition-accepted = Қабылданды
disposition-partially-accepted = Ішінара қабылданды
disposition-rejected = Қабылданбады
disposition-noted = Назарға алынды
disposition-out-of-scope = Жобаның пәніне жатпайды
disposition-duplicate = Қайталанатын ұсыныс
disposition-hidden = Модератор жасырды
disposition-unanswered = Жауап жоқ

# Through which channel a comment came.
channel-citizen = Азамат
channel-organisation = Ұйым
channel-business-chamber = Кәсіпкерлер палатасы
channel-public-council = Қоғамдық кеңес
channel-expert-body = Сараптамалық орган

# Why a moderator hid a comment (followed by the moderator's explanation).
hide-reason-abusive = Қорлау
hide-reason-spam = Спам
hide-reason-personal-data = Басқа адамның дербес деректері
hide-reason-unlawful = Заң бұзуға шақыру
hide-reason-off-topic = Тақырыпқа қатысы жоқ

# What happened to a provision between two versions.
change-kind-added = Қосылды
change-kind-removed = Алынып тасталды
change-kind-changed = Өзгертілді
change-kind-unchanged = Өзгеріссіз

## State bodies

# A small heading above a state body's name on its page.
body-heading = Есептілік
bodies-title = Мемлекеттік органдар
bodies-intro = Әр органның жазбасы: қанша петиция алды, қалай жауап берді, қанша талқылау өткізді.

# A column header: a state body.
body = Орган

# Figures of a state body's record.
petitions-addressed = Жолданған петициялар
petitions-received = Шекке жеткен петициялар
answered-on-time = Мерзімінде жауап берілді
answered-late = Кешіктіріліп жауап берілді
overdue = Жауап мерзімі өтті
awaiting = Жауап күтілуде
consultations-held = Өткізілген талқылаулар
proposals-total = Ұсыныстар

# Proposals counted by the body's answer.
accepted = Қабылданды
partially-accepted = Ішінара қабылданды
rejected = Қабылданбады
other-answers = Басқа жауаптар (назарға алынды, пәнге жатпайды, қайталау)
unanswered = Жауап жоқ

# A column header: a share, in per cent.
share = Үлесі

# A column header: a number.
count = Саны
recent-petitions = Соңғы петициялар
recent-consultations = Соңғы талқылаулар

# Instead of a figure that cannot be computed yet.
no-data = Деректер жоқ

## Statistics

stats-title = Статистика
stats-intro = Барлық жария петицияларға қойылған қолдар.
participation-region = Өңірлер бойынша қатысу
participation-time = Уақыт бойынша қатысу
last-90-days = Соңғы 90 күндегі қолдар

# A column header: a date.
day = Күн

## Error pages

not-found-title = Бет табылмады
not-found-text = Мұндай бет жоқ немесе ол әлі жарияланбаған.
error-title = Қате орын алды
error-text = Бетті көрсету мүмкін болмады. Кейінірек қайталап көріңіз.
unavailable-text = Қызмет уақытша қолжетімсіз. Бірнеше секундтан кейін қайталап көріңіз.
go-home = Басты бетке өту

## Counts

# A number of things. { $count } is the number. Kazakh keeps the noun singular after a number,
# so these need no plural forms.
signatures = { $count } қол
proposals = { $count } ұсыныс
replies = { $count } жауап
periods = { $count } кезең
days = { $count } күн
hours = { $count } сағат

# A duration of days and hours: { $days } is a count of days ("3 days"), { $hours } of hours ("4 hours").
duration-days-hours = { $days } { $hours }

## Dates (Kazakhstan's time)

# A date. { $year } and { $day } are numbers, { $month } a month's name from the list below.
date = { $year } ж. { $day } { $month }

# A date without its year, on the axis of a chart.
date-short = { $day } { $month }

# A date with the time of day: { $date } is a date as above, { $time } the time ("14:30").
date-time = { $date }, { $time }

# The months, as they follow a day number.
month-january = қаңтар
month-february = ақпан
month-march = наурыз
month-april = сәуір
month-may = мамыр
month-june = маусым
month-july = шілде
month-august = тамыз
month-september = қыркүйек
month-october = қазан
month-november = қараша
month-december = желтоқсан

# Atom feeds
feed-link = Осы бетті бақылау (Atom арнасы)
feed-new-petitions = Жаңа петициялар
feed-new-answers = Мемлекеттік органдардың жаңа жауаптары
feed-petition = Петиция: { $title }
feed-consultation = Жария талқылау: { $title }
feed-body = { $body }: петициялар, жауаптар және талқылаулар
feed-consultation-opened = Пікір қабылдау ашылды: { $title }
feed-comments-until = Пікірлер { $date } дейін қабылданады.
feed-consultation-closed = Пікір қабылдау аяқталды: { $title }
feed-report-published = Қорытынды есеп жарияланды: { $title }
feed-petition-published = Жаңа петиция: { $title }
feed-petition-answered = Жауап берілді: { $title }
follow-button = Бақылау
follow-hint = Жаңалықтар «Менің парағымдағы» кіріс жәшігіне және, таңдасаңыз, поштаға келеді.

## Ашықтық журналы: санақты қалай тексеруге болады, қол қоюшылардың түбіртектері
footer-verify = Санақты өзіңіз тексеріңіз
verify-title = Санақты өзіңіз тексеріңіз
verify-intro = Әрбір жария оқиға (петициялар, талқылаулар және әр қол анонимді міндеттеме түрінде) тек толықтыруға болатын жария журналға жазылады. Журналдың әр бақылау нүктесіне платформа қол қояды және тәуелсіз куә растайды; куә бұрын көргенін қайта жазатын бақылау нүктесін қабылдамайды. Төмендегі тексеру бағдарламасымен бізге сенудің қажеті жоқ: ол петиция қолдарын журнал бойынша қайта санап, осы сайтпен салыстырады.
verify-keys = Журнал және оның кілттері
verify-log-url = Журнал мекенжайы
verify-log-key = Журналдың ашық кілті
verify-witness-key = Куәнің ашық кілті
verify-not-configured = Бұл сайтта ашықтық журналы бапталмаған.
verify-build = Тексеру бағдарламасын бастапқы кодтан (Rust) жинаңыз немесе өзіңіз сенетін көшірмесін алыңыз:
verify-checkpoint = Ағымдағы бақылау нүктесін тексеріңіз: журналдың қолы мен куәнің растауы. Журнал кейін қайта жазылмағанын тексеру үшін оны --save арқылы сақтаңыз.
verify-count = Петиция қолдарын журнал бойынша қайта санаңыз (қойылғаны минус кері қайтарылғаны минус жарамсыз деп танылғаны) және сұрау API-мен, осы сайтпен салыстырыңыз:
verify-receipt = Қол қойғанда сіз түбіртек аласыз (ол «Менің парағымда» бар). Қолыңыздың журналда бар екенін тексеріңіз:
verify-consistency = Кейін сақтаған бақылау нүктеңіздің ағымдағысына кіретінін тексеріңіз:
verify-privacy = Журналда ЖСН, аты-жөні, өңір және бүркеншік ат жоқ: қол — тек өз түбіртегі аша алатын міндеттеме, ал бір адамның екі петициядағы міндеттемелерін байланыстыру мүмкін емес.
receipt-summary = Жария журналға арналған түбіртек
receipt-help = Бұл түбіртекті сақтаңыз. Онымен кез келген адам қолыңыздың жария журналда бар екенін тексере алады; қай жазба сіздікі екенін тек ол көрсетеді, сондықтан оны тек қаласаңыз ғана беріңіз.
