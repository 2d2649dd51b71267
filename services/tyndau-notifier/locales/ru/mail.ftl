# Письма уведомлений. { $title } — название петиции или консультации.
subject-petition_published = Ваша петиция «{ $title }» опубликована
subject-petition_rejected = Ваша петиция «{ $title }» не опубликована
subject-petition_threshold_reached = «{ $title }» набрала нужное число подписей
subject-petition_answered = На петицию «{ $title }» дан ответ
subject-petition_answer_overdue = Ответ на петицию «{ $title }» просрочен
subject-petition_closed = Сбор подписей под «{ $title }» завершён
subject-petition_stopped = Петиция «{ $title }» остановлена
subject-proposal_answered = Ответ на ваше предложение к «{ $title }»
subject-comment_replied = Ответ на ваш комментарий к «{ $title }»
subject-comment_hidden = Ваш комментарий к «{ $title }» скрыт
subject-consultation_version = Новая редакция «{ $title }»
subject-consultation_report = Опубликованы итоги обсуждения «{ $title }»
subject-consultation_opened = «{ $title }» открыт для обсуждения
subject-digest = Tyndau: { $count ->
    [one] { $count } обновление
    [few] { $count } обновления
   *[many] { $count } обновлений
}

line-petition_published = Ваша петиция опубликована: теперь её может подписать любой.
line-petition_rejected = Модератор не опубликовал вашу петицию. Причина: { $reason }. { $explanation }
line-petition_threshold_reached = Петиция набрала { $signatures } подписей и направлена адресату, который должен ответить до { $due }.
line-petition_answered = Адресат ответил. Решение: { $decision }.
line-petition_answer_overdue = Адресат не ответил в установленный законом срок.
line-petition_closed = Сбор подписей завершён: { $count } подписей.
line-petition_stopped = Модератор остановил петицию. Причина: { $reason }. { $explanation }
line-proposal_answered = Разработчик ответил на ваше предложение: { $disposition }.
line-proposal_changed = Изменена норма { $path } в редакции { $version }.
line-comment_replied = На ваш комментарий ответили.
line-comment_hidden = Модератор скрыл ваш комментарий. Причина: { $reason }. { $explanation }
line-consultation_version = Опубликована редакция { $version } проекта с описанием изменений.
line-consultation_report = Разработчик опубликовал итоги: все предложения и ответы на них.
line-consultation_opened = Госорган, за которым вы следите, открыл проект для публичного обсуждения.

read-more = Подробнее на Tyndau:
why-you-get-this = Вы получили это письмо, потому что участвуете в этом на Tyndau.
stop-this = Не присылать писем об этом:
all-settings = Все настройки уведомлений:
digest-intro = Что произошло с прошлой сводки:
stop-all = Не присылать писем совсем:

decision-satisfied = удовлетворена
decision-partially_satisfied = удовлетворена частично
decision-refused = отказано
disposition-accepted = принято
disposition-partially_accepted = принято частично
disposition-rejected = отклонено
disposition-noted = принято к сведению
disposition-out_of_scope = вне предмета проекта
disposition-duplicate = повторное предложение

# Reason codes (the same texts as the web front's).
reason-abusive = Оскорбления
reason-advertising = Реклама
reason-author_request = По просьбе автора
reason-duplicate = Повторяет открытую петицию
reason-fraud = Мошенничество
reason-legal_order = Требование закона или суда
reason-off_topic = Не по теме
reason-personal_data = Персональные данные другого лица
reason-personal_matter = Личный вопрос (для обращения через e-Otinish)
reason-prohibited_subject = Тема, которую петиция не может затрагивать
reason-rules_breach = Нарушение правил
reason-spam = Спам
reason-unclear = Неясно, что просят
reason-unlawful = Призывы к нарушению закона
reason-unlawful_content = Противоправное содержание
reason-wrong_addressee = Не относится к компетенции адресата
