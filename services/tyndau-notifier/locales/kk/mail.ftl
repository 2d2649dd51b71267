# Хабарлама хаттары. { $title } — петицияның немесе талқылаудың атауы.
subject-petition_published = «{ $title }» петицияңыз жарияланды
subject-petition_rejected = «{ $title }» петицияңыз жарияланбады
subject-petition_threshold_reached = «{ $title }» қажетті қол санын жинады
subject-petition_answered = «{ $title }» петициясына жауап берілді
subject-petition_answer_overdue = «{ $title }» петициясына жауап мерзімі өтті
subject-petition_closed = «{ $title }» петициясына қол жинау аяқталды
subject-petition_stopped = «{ $title }» петициясы тоқтатылды
subject-proposal_answered = «{ $title }» жобасына ұсынысыңызға жауап берілді
subject-comment_replied = «{ $title }» жобасындағы пікіріңізге жауап жазылды
subject-comment_hidden = «{ $title }» жобасындағы пікіріңіз жасырылды
subject-consultation_version = «{ $title }» жобасының жаңа редакциясы
subject-consultation_report = «{ $title }» талқылауының қорытындысы жарияланды
subject-consultation_opened = «{ $title }» талқылауға ашылды
subject-digest = Tyndau: { $count } жаңалық

line-petition_published = Петицияңыз жарияланды: енді оған кез келген адам қол қоя алады.
line-petition_rejected = Модератор петицияңызды жарияламады. Себебі: { $reason }. { $explanation }
line-petition_threshold_reached = Петиция { $signatures } қол жинап, адресатқа жіберілді; ол { $due } дейін жауап беруге тиіс.
line-petition_answered = Адресат жауап берді. Шешім: { $decision }.
line-petition_answer_overdue = Адресат заңда белгіленген мерзімде жауап бермеді.
line-petition_closed = Қол жинау аяқталды: { $count } қол.
line-petition_stopped = Модератор петицияны тоқтатты. Себебі: { $reason }. { $explanation }
line-proposal_answered = Әзірлеуші ұсынысыңызға жауап берді: { $disposition }.
line-proposal_changed = { $version } редакцияда { $path } норма өзгертілді.
line-comment_replied = Пікіріңізге жауап жазылды.
line-comment_hidden = Модератор пікіріңізді жасырды. Себебі: { $reason }. { $explanation }
line-consultation_version = Жобаның { $version } редакциясы өзгерістерімен жарияланды.
line-consultation_report = Әзірлеуші қорытындыны жариялады: барлық ұсыныстар мен оларға жауаптар.
line-consultation_opened = Сіз бақылайтын мемлекеттік орган жобаны жария талқылауға ашты.

read-more = Толығырақ Tyndau-да:
why-you-get-this = Бұл хат сізге Tyndau-да осыған қатысқаныңыз үшін келді.
stop-this = Бұл туралы хат жібермеу:
all-settings = Хабарлама баптаулары:
digest-intro = Соңғы жинақтан бері не болды:
stop-all = Ешбір хат жібермеу:

decision-satisfied = қанағаттандырылды
decision-partially_satisfied = ішінара қанағаттандырылды
decision-refused = бас тартылды
disposition-accepted = қабылданды
disposition-partially_accepted = ішінара қабылданды
disposition-rejected = қабылданбады
disposition-noted = назарға алынды
disposition-out_of_scope = жобаның пәніне жатпайды
disposition-duplicate = қайталанатын ұсыныс

# Reason codes (the same texts as the web front's).
reason-abusive = Қорлау
reason-advertising = Жарнама
reason-author_request = Автордың өтініші
reason-duplicate = Ашық петицияны қайталайды
reason-fraud = Алаяқтық
reason-legal_order = Соттың не заңның талабы
reason-off_topic = Тақырыпқа қатысы жоқ
reason-personal_data = Басқа адамның дербес деректері
reason-personal_matter = Жеке мәселе (e-Otinish арқылы жолданады)
reason-prohibited_subject = Петиция қозғай алмайтын тақырып
reason-rules_breach = Ережелер бұзылды
reason-spam = Спам
reason-unclear = Не сұралатыны түсініксіз
reason-unlawful = Заң бұзуға шақыру
reason-unlawful_content = Заңға қайшы мазмұн
reason-wrong_addressee = Адресаттың құзыретіне жатпайды
