### Tyndau's web front: the interface texts in English.
###
### The same messages, with the same variables, are in kk/, ru/ and en/main.ftl (a test checks it).
### Variables are written by the site: numbers grouped by thousands, dates in Kazakhstan's time.
### Texts written by people (petitions, drafts, comments, names of bodies and regions) are not here.

## The frame of every page

site-name = Tyndau
tagline = Petitions and public consultations

# A link for keyboard users that jumps over the menu to the page's content.
skip = Skip to main content

# The main menu's name, read by screen readers.
nav-label = Main
nav-home = Home
nav-stats = Statistics
nav-bodies = State bodies

# The label of the language switch.
language = Language

# A link to the machine-readable API of the same data.
footer-open-data = Open data: the query API
footer-time-zone = Times are Kazakhstan time (UTC+5).

# Under a text its author did not give in this page's language. { $shown } is the code of the
# language it is shown in instead: kk, ru or en.
fallback-note =
    The author did not provide an English version, so this is shown in { $shown ->
        [kk] Kazakh
        [ru] Russian
       *[en] English
    }.

## Home page

home-title = Petitions and public consultations
home-intro = Citizens' petitions, public discussion of draft laws and the answers of state bodies, all in the open.

# Headings of the home page's lists of petitions.
most-signed = Most signed

# Petitions nearest to their signature threshold.
nearest = Nearest to the threshold
newest = Newest

# Petitions that gained the most signatures in the last hour.
fastest = Fastest in the last hour

# After a number of new signatures: "+12 in the last hour".
in-last-hour = in the last hour
answered-recently = Recently answered
closing-soon = Consultations closing soon

# Shown instead of an empty list.
nothing-yet = Nothing here yet.
petitions-heading = Petitions
consultations-heading = Public consultations

## Petition page

# A small heading above a petition's title.
petition = Petition
addressee = Addressed to

# The addressed body's level (national, regional, city), as a label.
level = Level
status = Status

# The region of a regional or city body, as a label.
region-scope = Region

# Headings of a petition's two texts: the argument, and what exactly is asked.
background = Background
request = What is asked
signatures-heading = Signatures

# The name of the progress bar, read by screen readers.
progress-label = Progress to the threshold
threshold-reached = Threshold reached

# Under the signature count while it updates itself.
live-note = The count updates live.

# The count when the collection ended, as a label: "Final count: 12 345".
final-count = Final count
dates-heading = Deadlines
published = Published

# Labels of a petition's deadlines, each followed by a date.
closes = Collection ends

# The deadline for the first signatures that make a new petition publicly listed.
startup-due = Start-up signatures due
answer-due = Answer due
next-heading = What happens next
answer-heading = Official answer

# Labels of the official answer's details.
answered-by = Answered by
answered-on = Answered on

# After the answer's date: whether the body answered by its deadline.
on-time = on time
late = late
rejection-heading = Why it was not published
stop-heading = Why collection was stopped

# How the collection of signatures ended, as a label: "Outcome: …".
outcome = Outcome

# Signatures gathered out of the threshold. { $count } and { $threshold } are numbers.
count-of-threshold = { $count } of { $threshold } signatures

# A petition's status, on lists and on its page.
petition-status-rejected = Rejected
petition-status-open = Open for signatures
petition-status-closed = Closed
petition-status-stopped = Stopped
petition-status-archived = Archived

# The level of the addressed state body.
level-government = National
level-oblast-akimat = Regional akimat
level-oblast-maslikhat = Regional maslikhat
level-city-akimat = City akimat
level-city-maslikhat = City maslikhat

# The addressee's decision on a petition.
decision-satisfied = Granted
decision-partially-satisfied = Partially granted
decision-refused = Refused

# Why a moderator refused to publish a petition.
rejection-reason-prohibited-subject = A subject petitions may not address
rejection-reason-unlawful-content = Unlawful content
rejection-reason-duplicate = Duplicates an open petition
rejection-reason-wrong-addressee = Not within the addressee's competence
rejection-reason-personal-matter = A personal matter (for an appeal via e-Otinish)
rejection-reason-unclear = Unclear request
rejection-reason-advertising = Advertising

# Why the collection of signatures was stopped early.
stop-reason-rules-breach = Breach of the rules
stop-reason-fraud = Fraud
stop-reason-legal-order = Legal order
stop-reason-author-request = At the author's request

# How the collection of signatures ended.
closing-outcome-startup-gate-missed = The start-up signatures were not gathered in time
closing-outcome-threshold-not-reached = The threshold was not reached
closing-outcome-threshold-reached = The threshold was reached

# "What happens next" on a petition's page.
next-step-collecting-startup = Gathering its first signatures: with enough of them it is listed publicly.
next-step-collecting = Collecting signatures. If it reaches the threshold, it goes to the addressee, who must answer by a deadline.
next-step-awaiting-answer = The threshold was reached: the addressee's answer is due.
next-step-answer-overdue = The answer deadline has passed without an answer.
next-step-answered = The addressee has answered; the answer is published below.
next-step-closed = Collection ended below the threshold: nothing more will happen.
next-step-rejected = A moderator refused to publish the petition; the reason is below.
next-step-stopped = Collection was stopped early; the reason is below.
next-step-archived = The petition is archived; its whole history is kept.

# Events of a petition's history (its timeline).
petition-event-drafted = Drafted
petition-event-submitted = Submitted for moderation
petition-event-rejected = Rejected by moderation
petition-event-published = Published
petition-event-listed = Listed publicly
petition-event-threshold-reached = Threshold reached
petition-event-closed = Collection closed
petition-event-stopped = Stopped
petition-event-answer-overdue = Answer overdue
petition-event-answered = Answered
petition-event-archived = Archived
petition-event-signatures-invalidated = Signatures removed by a moderator
petition-event-anonymised = Signers' personal data erased after the retention period

## Signature charts and tables (petition and statistics pages)

# Headings and captions of the signature charts and their tables.
over-time = Signatures over time
over-time-caption = Signatures per period

# The unit of the signatures chart, also in its summary: "15 signatures, per hour (2 periods)".
per-hour = per hour
per-day = per day

# A column header: one period (hour or day) of the chart.
period = Period
no-signatures = No signatures yet.
by-region = Signatures by region
by-region-caption = Signatures by the signers' region

# Under the map of regions.
map-legend = The darker the colour, the more signatures.

# A column header.
region = Region

# Shown instead of a count between 1 and 4.
fewer-than-five = fewer than 5

# A regional count withheld so that a small count elsewhere cannot be derived from the total.
withheld = withheld

# Signers whose region is not known.
unspecified = Not specified
total = Total
small-counts-note = Counts from 1 to 4 are shown as “fewer than 5” so that nobody can be singled out; so that they cannot be worked out by subtraction from the total, one or two more regions may be withheld as well.

# The heading of a petition's history of events.
timeline = History

# Opens the table of figures behind a chart.
show-table = Show the table

# The summary of a bar chart, under it and for screen readers. { $total } is a count of signatures
# ("15 signatures"), { $unit } the chart's unit (per-hour or per-day above), { $periods } a count of
# periods ("2 periods"), { $busiest } the busiest period with its count ("5 March 2025 (1 234)").
chart-summary = { $total }, { $unit } ({ $periods }). Busiest: { $busiest }.

# The summary of the map of regions. { $total } is a count of signatures ("15 signatures"), { $top } the
# regions with the most signatures, each with its count: "Astana (12), Almaty (9)".
map-summary = { $total }. Most: { $top }.

# The same when no region has a signature yet.
map-summary-empty = { $total }.

# Short names of the regions, to fit a tile of the map (the full names are data, not interface texts).
region-short-abai = Abai
region-short-akmola = Akmola
region-short-aktobe = Aktobe
region-short-almaty-region = Almaty Reg.
region-short-atyrau = Atyrau
region-short-east-kazakhstan = E. Kaz.
region-short-zhambyl = Zhambyl
region-short-zhetysu = Zhetysu
region-short-west-kazakhstan = W. Kaz.
region-short-karaganda = Karaganda
region-short-kostanay = Kostanay
region-short-kyzylorda = Kyzylorda
region-short-mangystau = Mangystau
region-short-pavlodar = Pavlodar
region-short-north-kazakhstan = N. Kaz.
region-short-turkestan = Turkestan
region-short-ulytau = Ulytau
region-short-astana = Astana
region-short-almaty = Almaty
region-short-shymkent = Shymkent

## Consultation page

consultation = Public consultation

# The state body that drafted the act under consultation, as a label.
developed-by = Developed by

# Labels of a consultation's dates.
comment-period = Comment period
comments-close = Comments close

# A column header: a provision (article, paragraph) of the draft.
provision-header = Provision

# A column header: through which channel a proposal came (citizen, organisation, …).
channel = Channel

# A duration shorter than an hour (for example the median time to answer).
under-an-hour = under an hour

# Headings of a consultation's documents.
summary = Summary
explanatory-note = Explanatory note
draft-heading = The draft
versions = Versions

# After a version's name: "Version 3 (current)".
current = current

# Proposals about the draft as a whole rather than one provision.
whole-draft = The draft as a whole

# Proposals whose provision is gone from the newest version.
orphaned = Proposals no longer attached to the text
orphaned-note = The text these proposals referred to is not in the new version.
proposals-heading = Proposals
all-proposals = All proposals
show = Show
quote = Quote

# Reactions to a proposal, each followed by its count.
agree = Agree
disagree = Disagree

# A mark on a comment its author edited.
edited = edited

# The developer's answer to a proposal, as a label; also a column header.
answer = Answer

# Before the reason given with an answer.
reason = Reason

# Before where the draft changed because of a proposal: "Changed in: Version 2, Provision a1.p2".
changed-in = Changed in
hidden-by-moderator = Hidden by a moderator

# On a proposal left unanswered past the deadline.
overdue-answer = Answer overdue
organisation = Organisation

# The author of a comment who wrote as a private person.
citizen = Citizen
next-page = Next page
first-page = First page

# The comparison of two versions of the draft.
diff-heading = Changes between versions

# The button that shows the changes between the two chosen versions.
compare = Compare
from-version = From version
to-version = To version

# Column headers of the table of changes between versions.
change = Change
before = Before
after = After
why = Why

# Read by screen readers before inserted and deleted words in the table of changes.
inserted = inserted
deleted = deleted

# The developer's outcome report and its tables.
report-heading = Outcome report
report-preliminary = Preliminary results: the developing body has not published its outcome report yet.
download-csv = Download the report as CSV
download-json = Download the report as JSON
by-answer = By answer
by-provision = By provision
by-channel = By channel

# Figures of the outcome report, each followed by a value.
answers-due = Answers due
median-answer-time = Median answer time
answered-late-count = Answered late
comments-count = Comments

# A version of a draft act, by its number.
version = Version { $version }

# A provision of a draft act, by its path ("a1.p2": article 1, paragraph 2).
provision = Provision { $path }

# A consultation's status.
consultation-status-open = Open for comment
consultation-status-closed = Closed
consultation-status-report-published = Outcome report published

# The developer's answer to a proposal. "Hidden" and "unanswered" also head rows of the report's table of answers.
disposition-accepted = Accepted
disposition-partially-accepted = Partially accepted
disposition-rejected = Rejected
disposition-noted = Noted
disposition-out-of-scope = Out of scope
disposition-duplicate = Duplicate
disposition-hidden = Hidden by a moderator
disposition-unanswered = Unanswered

# Through which channel a comment came.
channel-citizen = Citizen
channel-organisation = Organisation
channel-business-chamber = Chamber of entrepreneurs
channel-public-council = Public council
channel-expert-body = Expert body

# Why a moderator hid a comment (followed by the moderator's explanation).
hide-reason-abusive = Abusive
hide-reason-spam = Spam
hide-reason-personal-data = Another person's personal data
hide-reason-unlawful = Calls to break the law
hide-reason-off-topic = Off topic

# What happened to a provision between two versions.
change-kind-added = Added
change-kind-removed = Removed
change-kind-changed = Changed
change-kind-unchanged = Unchanged

## State bodies

# A small heading above a state body's name on its page.
body-heading = Accountability
bodies-title = State bodies
bodies-intro = Each body's record: petitions received, how it answered, consultations held.

# A column header: a state body.
body = Body

# Figures of a state body's record.
petitions-addressed = Petitions addressed
petitions-received = Petitions that reached the threshold
answered-on-time = Answered on time
answered-late = Answered late
overdue = Overdue
awaiting = Awaiting an answer
consultations-held = Consultations held
proposals-total = Proposals

# Proposals counted by the body's answer.
accepted = Accepted
partially-accepted = Partially accepted
rejected = Rejected
other-answers = Other answers (noted, out of scope, duplicate)
unanswered = Unanswered

# A column header: a share, in per cent.
share = Share

# A column header: a number.
count = Count
recent-petitions = Recent petitions
recent-consultations = Recent consultations

# Instead of a figure that cannot be computed yet.
no-data = No data

## Statistics

stats-title = Statistics
stats-intro = Signatures to all public petitions.
participation-region = Participation by region
participation-time = Participation over time
last-90-days = Signatures in the last 90 days

# A column header: a date.
day = Day

## Error pages

not-found-title = Page not found
not-found-text = There is no such page, or it is not public yet.
error-title = Something went wrong
error-text = The page could not be shown. Please try again later.
unavailable-text = The service is temporarily unavailable. Please try again in a few seconds.
go-home = Go to the home page

## Counts

# A number of things. { $count } is the number, which picks the form: [one] 1; [other] any other.
signatures =
    { $count ->
        [one] { $count } signature
       *[other] { $count } signatures
    }
proposals =
    { $count ->
        [one] { $count } proposal
       *[other] { $count } proposals
    }
replies =
    { $count ->
        [one] { $count } reply
       *[other] { $count } replies
    }
periods =
    { $count ->
        [one] { $count } period
       *[other] { $count } periods
    }
days =
    { $count ->
        [one] { $count } day
       *[other] { $count } days
    }
hours =
    { $count ->
        [one] { $count } hour
       *[other] { $count } hours
    }

# A duration of days and hours: { $days } is a count of days ("3 days"), { $hours } of hours ("4 hours").
duration-days-hours = { $days } { $hours }

## Dates (Kazakhstan's time)

# A date. { $year } and { $day } are numbers, { $month } a month's name from the list below.
date = { $day } { $month } { $year }

# A date without its year, on the axis of a chart.
date-short = { $day } { $month }

# A date with the time of day: { $date } is a date as above, { $time } the time ("14:30").
date-time = { $date }, { $time }

# The months, as they follow a day number.
month-january = January
month-february = February
month-march = March
month-april = April
month-may = May
month-june = June
month-july = July
month-august = August
month-september = September
month-october = October
month-november = November
month-december = December

# Atom feeds
feed-link = Follow this page (Atom feed)
feed-new-petitions = New petitions
feed-new-answers = New answers from state bodies
feed-petition = Petition: { $title }
feed-consultation = Public consultation: { $title }
feed-body = { $body }: petitions, answers and consultations
feed-consultation-opened = Open for comments: { $title }
feed-comments-until = Comments accepted until { $date }.
feed-consultation-closed = Comments closed: { $title }
feed-report-published = Outcome report published: { $title }
feed-petition-published = New petition: { $title }
feed-petition-answered = Answered: { $title }
follow-button = Follow
follow-hint = News of it reaches your inbox on My page, and your email if you chose so.

## The transparency log: how to check the counts, and signers' receipts
footer-verify = Check the counts yourself
verify-title = Check the counts yourself
verify-intro = Every public event (petitions, consultations, and each signature as an anonymous commitment) is added to a public, append-only log. Each checkpoint of the log is signed by the platform and cosigned by an independent witness, which refuses any checkpoint that rewrites what it saw before. With the verifier below you need not trust us: it recomputes a petition's count from the log and compares it with this site.
verify-keys = The log and its keys
verify-log-url = Log address
verify-log-key = The log's public key
verify-witness-key = The witness's public key
verify-not-configured = The transparency log is not configured on this site.
verify-build = Build the verifier from the source code (Rust), or use a copy you trust:
verify-checkpoint = Check the current checkpoint: the log's signature and the witness's cosignature. Keep it with --save to check later that the log was never rewritten.
verify-count = Recompute a petition's count from the log (signed minus withdrawn minus invalidated) and compare it with the query API and this site:
verify-receipt = When you sign, you get a receipt (it is on your "My page"). Check that your signature is in the log:
verify-consistency = Later, check that a checkpoint you saved is part of the current one:
verify-privacy = The log holds no IIN, name, region or pseudonym: a signature is a commitment that only its receipt can open, and the commitments of one person on two petitions cannot be linked.
receipt-summary = Receipt for the public log
receipt-help = Keep this receipt. With it, anyone can check that your signature is in the public log; only it shows which entry is yours, so share it only if you wish.
