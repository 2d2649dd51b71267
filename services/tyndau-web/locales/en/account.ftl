### The pages where people sign in and act: signing, starting a petition, commenting on a
### draft, "My page". Wording follows the GOV.UK style: plain, specific, no "please".

## Signing in and out; the account corner of the header

sign-in = Sign in
sign-out = Sign out
# Before the signed-in person's name in the header.
signed-in-as = Signed in as
my-page = My page
back-office = Back office
# The label of the header's account navigation (read by screen readers).
account-nav-label = Your account
# Shown instead of a name when the identity provider gave none.
role-citizen = Citizen
role-official = Official
role-moderator = Moderator
role-admin = Administrator
sign-in-unavailable-title = Sign-in is not available right now
sign-in-unavailable-text = The identity provider does not answer. Nothing has changed. Try again in a few minutes; you can keep reading petitions and drafts meanwhile.
sign-in-failed-title = Sign-in did not work
sign-in-failed-text = The sign-in could not be completed, or it took too long. Nothing has changed. Start again from the page you were on.
# A form refused as forged or stale (403).
forbidden-title = This form cannot be accepted
forbidden-text = The form has expired or was sent from another site, so nothing has been changed. Go back, reload the page and try again.
citizens-only-title = Only citizens can do this
citizens-only-text = Signing and starting petitions is for citizens signed in with their own identity. Staff accounts cannot sign.

## Forms

# Before the page title when a form comes back with errors, and before each field's error
# (read by screen readers). Keep the trailing space.
error-prefix = Error:{" "}
error-summary-title = There is a problem
back = Back
cancel = Cancel
# The empty first entry of a list to choose from.
choose = Choose…
continue-button = Continue
change-link = Change

## Messages after an action

flash-signed = Your signature has been added. Thank you.
flash-withdrawn = Your signature has been withdrawn.
flash-petition-submitted = Your petition has been sent for moderation.
flash-comment-posted = Your comment has been published.
flash-reply-posted = Your reply has been published.
flash-comment-edited = Your comment has been changed. Its earlier wording stays in its public history.
flash-stance-taken = Your view has been recorded.
flash-flagged = Thank you. The moderators will look at this comment.
flash-erased = Your personal data has been erased ({ $count ->
    [one] { $count } name made unreadable
   *[other] { $count } names made unreadable
}). Your signatures still count.
flash-signed-in = You are signed in.
flash-session-ended = Your session has ended, so you have been signed out. Sign in again to continue.
flash-sign-in-cancelled = Sign-in was cancelled.

## Signing a petition and withdrawing a signature

sign-petition = Sign this petition
sign-in-to-sign = Sign in to sign this petition
# $date: the day of signing.
signed-on = You signed this petition on { $date }.
# $date: the day of withdrawal.
withdrawn-on = You withdrew your signature on { $date }. A withdrawn signature cannot be given again.
signature-invalidated-note = Your signature was removed by a moderator, with the reason published on this petition.
sign-title = Sign the petition
sign-lead = You are about to sign:
# $region: the region whose residents may sign a local petition.
residents-only = Only residents of { $region } can sign this petition.
show-name-legend = Show your name on the public list of signers?
show-name-hint = Only your first name and the first letter of your surname are shown. Your signature counts either way, and you can remove your name later by erasing your personal data.
# $name: the first name and initial that would be shown, e.g. “Aigerim S.”.
show-name-yes = Yes, show “{ $name }”
show-name-no = No, count my signature without my name
sign-declaration = You sign once, on your own behalf. You can withdraw your signature while the petition is open, but a withdrawn signature cannot be given again.
sign-button = Sign this petition
error-choose-show-name = Choose whether to show your name
withdraw-signature = Withdraw my signature
withdraw-title = Withdraw your signature?
withdraw-text = Your signature will no longer count for this petition. You will not be able to sign it again.
withdraw-button = Withdraw my signature
keep-signature = Keep my signature

## Starting a petition

new-petition = Start a petition
new-petition-addressee-title = Who should answer your petition?
new-petition-texts-title = What does your petition ask for?
new-petition-check-title = Check your petition before you send it
field-addressee = State body
hint-addressee = Choose the Government for a national matter, or the akimat or maslikhat of your region or city for a local one.
terms-heading = What follows from this choice
# $count: signatures needed; $body: the state body.
terms-threshold = { $count ->
    [one] { $count } signature is needed for { $body } to owe you an answer.
   *[other] { $count } signatures are needed for { $body } to owe you an answer.
}
# $region: the region; $age: the minimum age.
terms-residents = Residents of { $region } aged { $age } or over can sign.
# $age: the minimum age.
terms-everyone = Every citizen aged { $age } or over can sign.
terms-collection = { $months ->
    [one] Signatures are collected for { $months } month after publication.
   *[other] Signatures are collected for { $months } months after publication.
}
terms-startup = It must gather { $count } signatures within { $days ->
    [one] { $days } working day
   *[other] { $days } working days
} of publication to be listed on the site.
terms-moderation = A moderator checks it against the publication rules within { $days ->
    [one] { $days } working day
   *[other] { $days } working days
}.
terms-answer = Once the threshold is reached, { $body } must answer within { $days ->
    [one] { $days } working day
   *[other] { $days } working days
}.
change-addressee = Choose another state body
field-petition-language = Language of your petition
hint-petition-language = Write in Kazakh or Russian. You can add a translation later.
field-title = Title
# $max: the longest title, in characters.
hint-title = A short statement of what you want, up to { $max } characters.
field-request = What do you ask the state body to do?
hint-request = Up to { $max } characters.
field-background = Why: the background to your petition
hint-background = Facts and reasons, up to { $max } characters. Do not include other people’s personal data.
submit-declaration = By sending it you confirm that the petition is your own and that it can be published, with the reason, if the moderator refuses it.
submit-petition = Send for moderation
error-choose-addressee = Choose the state body that should answer
error-choose-language = Choose the language you write in
error-title-empty = Enter a title
error-title-long = The title must be { $max } characters or fewer
error-request-empty = Enter what you ask for
error-request-long = What you ask for must be { $max } characters or fewer
error-background-empty = Enter the background to your petition
error-background-long = The background must be { $max } characters or fewer
petition-sent-title = Your petition has been sent for moderation
what-next = What happens next
petition-sent-next = A moderator checks your petition against the publication rules. If it is published, you collect the first signatures by sharing its link; if it is refused, you will see the reason on My page.
moderation-due = Moderation due by
status-draft = Draft
status-submitted = Awaiting moderation

## Commenting on a draft

comment-on-provision = Comment on this provision
comment-on-draft = Comment on the whole draft
comment-provision-title = Comment on a provision
comment-draft-title = Comment on the whole draft
reply-title = Reply to a comment
edit-title = Edit your comment
replying-to = You are replying to:
field-quote = The words you comment on (optional)
hint-quote = Copy them exactly from the provision above. With JavaScript on, you can select them in the text instead.
field-channel = On behalf of
field-comment-language = Language of your comment
hint-edit = You can edit your comment until someone replies to it. The earlier wording stays in its public history.
field-comment = Your comment or proposal
field-reply = Your reply
# $max: the longest comment, in characters.
hint-comment = Up to { $max } characters. Comments are public; do not include personal data.
post-comment = Publish comment
post-reply = Publish reply
save-changes = Save changes
error-comment-empty = Enter your comment
error-comment-long = Your comment must be { $max } characters or fewer
commenting-closed-title = Comments are closed
commenting-closed-text = This consultation no longer accepts comments. You can still read every proposal and the answers to them.
agree-button = I agree
disagree-button = I disagree
reply = Reply
edit = Edit
flag = Report
flag-title = Report a comment to the moderators
flag-text = A moderator will read the comment. If it breaks the rules, it is hidden with a public reason; it is never deleted.
flag-reason-legend = What is wrong with it?
flag-reason-abusive = It is abusive or insulting
flag-reason-spam = It is spam or advertising
flag-reason-personal-data = It reveals someone’s personal data
flag-reason-unlawful = It is unlawful
flag-reason-off-topic = It has nothing to do with the draft
flag-button = Send report
error-choose-flag-reason = Choose what is wrong with the comment

## My page

my-signatures = My signatures
my-signatures-none = You have not signed any petition yet.
signed-label = signed
withdrawn-label = withdrawn
my-petitions = My petitions
my-petitions-none = You have not started a petition yet.
my-comments = My comments
my-comments-none = You have not commented on a draft yet.
kind-proposal = Proposal
kind-reply = Reply
awaiting-answer = Awaiting the state body’s answer.
my-data = Your personal data
my-data-text = Your name, if you chose to show it, is kept sealed and can be erased at any time. Your signatures stay counted: the count is public record, you are not.
erase-link = Erase my personal data
erase-title = Erase your personal data?
erase-text = This cannot be undone.
erase-point-names = Your name disappears from every list of signers where you chose to show it.
erase-point-counts = Your signatures still count, and your comments stay, without your name.
erase-point-final = You stay signed in; the erasure is recorded without identifying you.
erase-button = Erase my personal data

## Refusals of the command API, as the person reads them

problem-already-signed = You have already signed this petition.
problem-withdrawn-earlier = You withdrew your signature from this petition earlier. A withdrawn signature cannot be given again.
problem-petition-closed = This petition is closed and no longer accepts signatures.
# $region: the region whose residents may sign.
problem-not-resident = Signing is open to residents of { $region } only.
# $age: the minimum age.
problem-too-young = You must be { $age } or over to sign a petition.
problem-not-signed = You have not signed this petition.
problem-already-withdrawn = Your signature has already been withdrawn.
problem-signature-invalidated = Your signature was removed by a moderator and cannot be changed.
problem-petition-not-found = This petition cannot be signed: it is not open for signatures.
problem-no-display-name = The identity provider gave no name to show. Sign without showing your name.
# $seconds: how long to wait.
problem-rate-limited = You have done this too often in a short time. Try again in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}.
problem-forbidden = Your account cannot do this.
problem-unknown-body = Choose a state body from the list.
problem-kazakh-or-russian-required = Write your petition in Kazakh or Russian.
problem-empty-text = Enter the text.
problem-text-too-long = The text is too long.
problem-commenting-closed = This consultation does not accept comments now.
problem-unknown-provision = This provision is not in the current version of the draft.
problem-quote-not-found = The words you quote are not in this provision. Copy them exactly, or leave the field empty.
problem-quote-without-provision = A quote needs a provision to come from.
problem-comment-hidden = This comment was hidden by a moderator.
problem-not-author = Only the author can edit a comment.
problem-comment-has-replies = This comment already has replies, so it can no longer be edited.
problem-own-comment = You cannot agree or disagree with your own comment.
problem-already-flagged = You have already reported this comment.
problem-reply-too-deep = Replies cannot go deeper here. Reply to the comment above instead.
problem-wrong-channel = You cannot comment on behalf of this channel.
problem-own-consultation = Your organisation cannot comment on its own consultation.
problem-invalid-input = Some of what you entered cannot be accepted. Check it and try again.
problem-unavailable = The service did not answer, so nothing has changed. Try again in a moment.
# $code: the command API's problem code.
problem-other = This cannot be done right now (reason: { $code }). Nothing has changed.

# Notifications on My page
my-notifications = Notifications
my-notifications-none = Nothing yet. When a petition you signed or started, or a proposal you made, moves on, you will read it here.
notifications-unread = { $count } unread
mark-all-read = Mark all as read
flash-notifications-read = Your notifications are marked as read.
notice-petition-published = Your petition has been published and is collecting signatures.
notice-petition-rejected = Your petition was not published: { $detail }.
notice-petition-threshold-reached = A petition you follow reached its threshold and went to the state body for an answer.
notice-petition-answered = A petition you follow has been answered: { $detail }.
notice-petition-answer-overdue = The answer to a petition you follow is overdue.
notice-petition-closed = A petition you follow has closed.
notice-petition-stopped = A petition you follow was stopped by a moderator: { $detail }
notice-comment-replied = Someone replied to your proposal.
notice-proposal-answered = Your proposal has been answered: { $detail }.
notice-comment-hidden = A moderator hid your comment: { $detail }.
notice-consultation-version = A draft you commented on has a new version: { $detail }.
notice-consultation-report = The outcome report of a consultation you took part in is published.

notice-consultation-opened = A state body you follow opened a draft for public comment.

# Notification settings (My page) and one-click unsubscribe.
notify-settings-link = Notification settings
notify-title = Notification settings
notify-intro = Everything always reaches your inbox on My page. Email is extra: give an address and choose how often.
notify-email = Email address
notify-email-hint = Leave it empty to get no email.
notify-bounced = Mail to this address was refused by its server (reply { $code }), so we stopped sending. Save the address again once it works, or give another.
notify-language = Language of emails
notify-frequency = How often
notify-frequency-immediate = At once, one email per update
notify-frequency-daily = A daily digest
notify-frequency-weekly = A weekly digest
notify-frequency-off = No email
notify-save = Save
notify-saved = Your notification settings are saved.
notify-subscriptions = What you hear about
notify-subscriptions-none = Nothing yet: signing, starting a petition, commenting or following something subscribes you.
notify-reason-signed = you signed it
notify-reason-author = you started it
notify-reason-proposal = you commented
notify-reason-follow = you follow it
notify-stopped = stopped
notify-stop = Stop
notify-resume = Resume
notify-unfollow = Unfollow
notify-followed = You follow this now: its news reaches your inbox and, if you chose so, your email.
notify-subject-petition = Petition
notify-subject-consultation = Consultation
notify-subject-body = State body
notify-subject-comment = Answers to your comment
unsubscribe-title = Stop these emails
unsubscribe-text = Stop the emails this link came with? You can change this any time in your notification settings.
unsubscribe-button = Stop these emails
unsubscribe-done = Done: you will get no more of these emails.
unsubscribe-used = This link was already used: these emails are already stopped.
unsubscribe-invalid = This link is not valid. Change your notification settings on My page instead.
unsubscribe-expired = This link has expired. Change your notification settings on My page instead.

webhooks-title = Webhooks, for organisations and media
webhooks-intro = Public events of what you choose, sent to your server as they happen, signed in the Standard Webhooks format (check webhook-signature with your secret).
webhooks-none = No endpoints yet.
webhook-url = Your endpoint's address (https)
webhook-topics = What it receives
webhook-topics-hint = One per line: petition:<id>, consultation:<id> or body:<id> (a state body's petitions and consultations). Leave empty for every public event.
webhook-add = Add the endpoint
webhook-added = The endpoint is added. Its signing secret, shown this once: { $secret }
webhook-all = every public event
webhook-active = active
webhook-disabled = turned off: { $reason }
webhook-log = { $delivered } delivered, { $failed } failed, { $pending } waiting
webhook-enable = Turn on again
webhook-delete = Delete
webhook-deleted = The endpoint is deleted.
webhook-enabled = The endpoint is on again.
problem-invalid-url = Give an https address of your server (not on a private network).
problem-invalid-subject = Each line is petition:<id>, consultation:<id> or body:<id>.
problem-too-many-webhooks = You have ten endpoints already: delete one first.
problem-unknown-webhook = You have no such endpoint (deleted already?).
problem-unknown-subject = There is nothing public with this address to follow.
