# Emails the notifier sends. { $title } is the petition's or consultation's title.
subject-petition_published = Your petition “{ $title }” is published
subject-petition_rejected = Your petition “{ $title }” was not published
subject-petition_threshold_reached = “{ $title }” reached its threshold
subject-petition_answered = “{ $title }” has been answered
subject-petition_answer_overdue = The answer to “{ $title }” is overdue
subject-petition_closed = Signing “{ $title }” has closed
subject-petition_stopped = “{ $title }” was stopped
subject-proposal_answered = Your proposal on “{ $title }” was answered
subject-comment_replied = A reply to your comment on “{ $title }”
subject-comment_hidden = Your comment on “{ $title }” was hidden
subject-consultation_version = A new version of “{ $title }”
subject-consultation_report = The outcome of “{ $title }” is published
subject-consultation_opened = “{ $title }” is open for comments
subject-digest = Tyndau: { $count ->
    [one] one update
   *[other] { $count } updates
}

line-petition_published = Your petition is published: anyone can now sign it.
line-petition_rejected = A moderator did not publish your petition. Reason: { $reason }. { $explanation }
line-petition_threshold_reached = The petition has { $signatures } signatures and goes to the addressee, who must answer by { $due }.
line-petition_answered = The addressee has answered. Decision: { $decision }.
line-petition_answer_overdue = The addressee has not answered within the time the law allows.
line-petition_closed = Signing has closed with { $count } signatures.
line-petition_stopped = A moderator stopped the petition. Reason: { $reason }. { $explanation }
line-proposal_answered = The developer answered your proposal: { $disposition }.
line-proposal_changed = It changed provision { $path } in version { $version }.
line-comment_replied = Someone replied to your comment.
line-comment_hidden = A moderator hid your comment. Reason: { $reason }. { $explanation }
line-consultation_version = Version { $version } of the draft is published, with what changed.
line-consultation_report = The developer published the outcome report: every proposal and its answer.
line-consultation_opened = A state body you follow has opened a draft for public comment.

read-more = Read it on Tyndau:
why-you-get-this = You get this email because you take part in this on Tyndau.
stop-this = Stop emails about this:
all-settings = All your notification settings:
digest-intro = What happened since your last digest:
stop-all = Stop all emails:

decision-satisfied = granted
decision-partially_satisfied = partially granted
decision-refused = refused
disposition-accepted = accepted
disposition-partially_accepted = partially accepted
disposition-rejected = rejected
disposition-noted = noted
disposition-out_of_scope = out of scope
disposition-duplicate = a duplicate

# Reason codes (the same texts as the web front's).
reason-abusive = Abusive
reason-advertising = Advertising
reason-author_request = At the author's request
reason-duplicate = Duplicates an open petition
reason-fraud = Fraud
reason-legal_order = Legal order
reason-off_topic = Off topic
reason-personal_data = Another person's personal data
reason-personal_matter = A personal matter (for an appeal via e-Otinish)
reason-prohibited_subject = A subject petitions may not address
reason-rules_breach = Breach of the rules
reason-spam = Spam
reason-unclear = Unclear request
reason-unlawful = Calls to break the law
reason-unlawful_content = Unlawful content
reason-wrong_addressee = Not within the addressee's competence
