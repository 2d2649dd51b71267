# The back office: state bodies' desks, answering petitions and proposals, drafting and
# running consultations, moderation, the audit trail.

office-kicker = Back office
office-desk = Your desk
office-desk-lead = What needs you now, the most urgent first, in working days. The public sees the same figures on
office-public-record = your public record
office-not-yours-title = Not part of your work
office-not-yours-text = This page belongs to another role or another state body. If you think you should see it, ask your administrator.
office-back = Back
office-back-to-desk = Back to your desk
office-back-to-queues = Back to the moderation queues
office-back-to-proposals = Back to the proposals
office-public-page = See it as the public does
office-any = Any
office-filter = Show
office-continue = Continue
office-next-page = Next page
office-optional = Optional.
office-preview = Preview
office-preview-again = Preview again
office-preview-heading = Preview: as the public will see it
office-preview-note = Nothing is published yet.
office-days-left = { $days ->
    [one] { $days } working day left
   *[other] { $days } working days left
}
office-overdue-by = { $days ->
    [0] overdue since today
    [one] overdue by { $days } working day
   *[other] overdue by { $days } working days
}
office-language-kk = Kazakh
office-language-ru = Russian

# Desk
office-petitions-to-answer = Petitions awaiting your answer
office-petitions-to-answer-none = No petition is awaiting your answer.
office-consultations = Your consultations
office-consultations-none = Your body has no consultations yet.
office-new-consultation = New consultation
office-col-petition = Petition
office-col-signatures = Signatures
office-col-reached = Threshold reached
office-col-answer-due = Answer due
office-col-consultation = Consultation
office-col-status = Status
office-col-proposals = Proposals
office-col-unanswered = Unanswered
office-col-deadline = Deadline
office-comments-until = Comments until
office-answers-due = Answers due
office-status-drafted = Draft, not public
office-status-open = Open for comments
office-status-closed = Closed, answering
office-status-report-published = Report published
office-queues = Moderation queues
office-pending-petitions = Petitions awaiting moderation
office-flagged-comments = Flagged comments
office-invalidation = Signature invalidation
office-audit = Audit trail
office-audit-open = Open the audit trail

# Answering a petition
office-answer-petition = Answer a petition
office-field-decision = Decision
office-field-answer-kk = Reasoned answer in Kazakh
office-field-answer-ru = Reasoned answer in Russian
office-field-answer-en = Answer in English
office-answer-hint = Say what will be done, by whom and by when, or why not. The answer is published with the petition.
office-publish-answer = Publish the answer
office-error-decision = Choose a decision
office-error-answer-kk = Write the answer in Kazakh
office-error-answer-ru = Write the answer in Russian
office-error-too-long = The text is too long
office-flash-answered = The answer is published.

# Drafting a consultation
office-new-consultation-lead = Paste or upload the draft in Kazakh and in Russian as it is numbered (sections, articles, paragraphs, sub-paragraphs). Check it first: you will see how it was read, side by side, before anything is saved.
office-field-title = Title
office-field-summary = Summary
office-field-note = Explanatory note
office-field-draft-kk = Draft text in Kazakh
office-field-draft-ru = Draft text in Russian
office-hint-draft-kk = For example: "1-бап. Heading", then "1. …", "1) …" on their own lines.
office-hint-draft-ru = For example: "Статья 1. Heading", then "1. …", "1) …", "а) …" on their own lines.
office-field-upload = Or upload a text file (.txt, UTF-8)
office-check-draft = Check the draft
office-save-draft = Save the draft
office-parsed-heading = How the draft was read
office-parsed-hint = Each row is one provision; citizens will comment on them one by one. Correct the text above if a row is wrong, then check again.
office-col-provision = Provision
office-parity-heading = Missing in one language
office-missing = missing
office-missing-in = { $provision }: missing in { $language }
office-error-title-kk = Enter the title in Kazakh
office-error-title-ru = Enter the title in Russian
office-error-summary-kk = Enter the summary in Kazakh
office-error-summary-ru = Enter the summary in Russian
office-error-note-kk = Enter the explanatory note in Kazakh
office-error-note-ru = Enter the explanatory note in Russian
office-error-draft-kk = Paste or upload the draft in Kazakh
office-error-draft-ru = Paste or upload the draft in Russian
office-error-upload = The upload could not be read; try again
office-error-file-too-large = The file is larger than 4 MB
office-error-file-not-text = The file is not UTF-8 text; save it as plain text and try again
office-parse-no-provisions = No article, paragraph or section was found: each should start its own line, numbered like "1-бап", "Статья 1", "1." or "1)"
office-parse-out-of-order = Line { $line }: "{ $found }" does not follow the numbering (expected { $expected })
office-parse-orphan = Line { $line }: "{ $found }" belongs to no article
office-parse-bad-number = Line { $line }: "{ $found }" is not a number a provision can have
office-parse-too-many = The draft has more than { $limit } provisions
office-flash-drafted = The draft is saved. It is not public until you open it.

# Managing a consultation
office-open-heading = Open for comments
office-field-closes-on = Comments accepted until (inclusive)
office-hint-closes-on = At least { $days } working days; the earliest end is { $date }.
office-open = Open for comments
office-error-date = Enter the date as day, month and year
office-flash-opened = The consultation is open for comments.
office-work-heading = Work on it
office-proposals = Proposals
office-new-version = Publish a new version
office-report-heading = Outcome report
office-report-blocked = { $count ->
    [one] { $count } proposal is still unanswered
   *[other] { $count } proposals are still unanswered
}
office-publish-report = Publish the report
office-field-report-summary-kk = Summary of the outcome in Kazakh
office-field-report-summary-ru = Summary of the outcome in Russian
office-report-tally = Proposals by answer
office-report-csv = Every proposal and its answer (CSV)
office-flash-report = The outcome report is published.

# New version
office-new-version-lead = Paste or upload the whole new text in both languages. Before publishing you see what changed, provision by provision, and where each proposal will be anchored.
office-check-version = Compare with the current version
office-publish-version = Publish this version
office-diff-heading = What changed
office-diff-none = Nothing changed.
office-col-change = Change
office-col-before = Before
office-col-after = After
office-moves-heading = Where the proposals will be
office-moves-none = No proposal is anchored to a provision.
office-col-proposal = Proposal
office-col-from = Now on
office-col-to = Will be on
office-col-how = How
office-anchor-same = Same provision
office-anchor-moved = Moved
office-anchor-orphaned = No longer anchored
office-flash-version = The new version is published.

# Proposals
office-show-answered = Show answered ones too
office-col-channel = Channel
office-col-region = Region
office-col-id = Number
office-whole-draft = The draft as a whole
office-proposals-none = No proposal matches.
office-answer = Answer
office-change-answer = Change the answer
office-bulk-select = Proposals to answer together
office-bulk-tick = A duplicate: answer it with the others below
office-bulk-heading = Answer duplicates together
office-bulk-hint = Tick the proposals that repeat one proposal, give that proposal's number and one reason; each ticked proposal is answered "duplicate".
office-field-original = Number of the original proposal
office-hint-original = Shown with each proposal.
office-bulk-submit = Answer the ticked proposals
office-error-none-selected = Tick at least one proposal
office-duplicates-partial = { $count ->
    [one] { $count } proposal was answered before the refusal.
   *[other] { $count } proposals were answered before the refusal.
}
office-flash-duplicates = The duplicates are answered.
office-answer-proposal = Answer a proposal
office-thread = The proposal and its replies
office-answer-history = Earlier answers (they stay public)
office-field-disposition = Decision
office-field-reason-kk = Reason in Kazakh
office-field-reason-ru = Reason in Russian
office-hint-reason = A decision without a reason is not an answer: say why.
office-field-duplicate-of = Duplicate of (number of the proposal)
office-field-changed = What changed because of it
office-hint-changed = Optional: the provision (such as a1.p2) and the version in which it changed.
office-field-changed-path = Provision
office-field-changed-version = Version
office-save-answer = Publish the answer
office-error-reason-kk = Give the reason in Kazakh
office-error-reason-ru = Give the reason in Russian
office-error-duplicate-of = Give the number of the proposal this one repeats
office-error-version = Give the version in which the provision changed
office-flash-proposal-answered = The answer is published.

# Moderation
office-moderation = Moderation
office-pending-none = No petition is awaiting moderation.
office-col-addressee = Addressed to
office-col-submitted = Submitted
office-col-moderation-due = Decide by
office-flagged-none = No flagged comment awaits review.
office-col-flags = Flags
office-flags = { $count ->
    [one] Flagged { $count } time
   *[other] Flagged { $count } times
}
office-review = Review
office-field-petition = Petition's address or number
office-hint-petition = Copy it from the petition's page.
office-error-petition-address = This is not a petition's address or number
office-moderate-petition = Moderate a petition
office-field-moderation = Decision
office-decision-publish = Publish: it may collect signatures
office-decision-reject = Reject
office-hint-reject = For a rejection, choose the reason from the published list and explain it: the author and the public see both.
office-field-rejection-reason = Reason for rejection
office-field-explanation = Explanation
office-hint-explanation = Shown to the author and the public.
office-save-decision = Save the decision
office-error-reason = Choose a reason
office-error-explanation = Write an explanation
office-flash-published = The petition is published.
office-flash-rejected = The petition is rejected; the author and the public see why.
office-moderate-comment = Review a flagged comment
office-hide-heading = Hide it
office-hide-hint = The text is withheld from everyone; that it was hidden, and why, stay public.
office-field-hide-reason = Reason
office-hide = Hide the comment
office-dismiss-heading = Or keep it
office-dismiss-hint = The flags so far are set aside; the comment comes back only if someone flags it again.
office-dismiss = Dismiss the flags
office-flash-hidden = The comment is hidden.
office-flash-dismissed = The flags are dismissed.
office-invalidation-hint = Give the rule: a time window of signing, a network, or both. You will see how many signatures it matches before anything is removed.
office-field-signed-from = Signed from (Kazakhstan time)
office-field-signed-until = Signed until (Kazakhstan time)
office-hint-local-time = Day, month, year and time.
office-field-network = Client network
office-hint-network = An address or network such as 203.0.113.0/24.
office-field-invalidation-reason = Reason
office-invalidation-automated = Automated signing
office-invalidation-stolen-identities = Stolen identities
office-invalidation-bought = Bought signatures
office-invalidation-idp-incident = An incident at the identity provider
office-hint-public-explanation = Published with the number removed.
office-error-time = Enter the date and time
office-error-rule-empty = Give a time window or a network
office-invalidation-would-remove = This rule would remove { $signatures }.
office-invalidation-confirm-hint = Nothing is removed yet. Confirm to remove them; the count and the reason are published.
office-invalidation-confirm = Remove these signatures
office-invalidation-removed = { $signatures } removed.
office-invalidation-public = The removal and its reason are on the petition's public page.

# Audit trail
office-audit-none = Nothing matches.
office-col-actor-kind = Role
office-col-actor-id = Who (pseudonym or staff id)
office-col-record-type = Record type
office-col-record-id = Record (id)
office-col-when = When
office-col-actor = Who
office-col-what = What
office-col-record = Record
office-col-origin = From
office-actor-system = System

# The command API's refusals of back-office actions
problem-not-responsible-body = This consultation belongs to another state body. Nothing has changed.
problem-not-addressee = This petition is addressed to another state body; only its officials can answer it. Nothing has changed.
problem-translations-missing = Some provisions are missing in Kazakh or Russian, so the draft cannot be opened. The list is below.
problem-period-too-short = The comment period is shorter than the legal minimum. Choose a later date.
problem-unanswered-proposals = Some proposals are still unanswered, so the report cannot be published. Answer them first.
problem-report-published = The outcome report is already published; this consultation can no longer change.
problem-consultation-not-closed = The report can be published only after the comment period has closed.
problem-not-drafted = This consultation has already been opened.
problem-not-open = This can be done only while the consultation is open or answering.
problem-no-changes = The new text is the same as the current version.
problem-reason-required = Give a reason in Kazakh and in Russian.
problem-duplicate-target-required = Give the number of the proposal this one repeats.
problem-invalid-duplicate = That number is not another proposal of this consultation.
problem-duplicate-only-for-duplicates = Name an original proposal only when the decision is "duplicate".
problem-same-answer = This is already the current answer.
problem-not-a-proposal = Replies are not answered; only proposals are.
problem-unknown-changed-provision = That provision is not in the version given.
problem-already-hidden = This comment is already hidden.
problem-no-new-flags = These flags have already been dismissed.
problem-nothing-to-invalidate = No standing signature matches this rule. Nothing has changed.
problem-not-submitted = This petition is no longer awaiting moderation.
problem-already-answered = This petition has already been answered.
problem-not-awaiting-answer = This petition is not awaiting an answer.
problem-threshold-not-reached = This petition has not reached its threshold, so it is not awaiting an answer.
problem-duplicate-provision = Two provisions have the same number.
problem-missing-parent-provision = A provision has no article or section to belong to.
problem-too-many-provisions = The draft has too many provisions.
problem-empty-draft = The draft has no provisions.

# Change notes of a new version
office-why-heading = Why it changed
office-why-hint = Optional: a sentence per changed provision, shown in the public comparative table.
office-field-why-kk = Why, in Kazakh
office-field-why-ru = Why, in Russian
