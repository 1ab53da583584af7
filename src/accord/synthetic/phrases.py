"""Phrase banks for the comment grammar: one clause list per driver and polarity.

Clauses start lower-case and carry no final full stop. A clause tagged ``g|`` fits goods only,
``s|`` services only (see ``GOODS``); untagged clauses fit every purchase type. Tokens:

* voice: ``{we}``/``{our}``/``{us}`` are the customer, ``{you}``/``{your}``/``{you_}`` (object)
  the vendor. In the customer's own voice they read *we/our/us* and *you/your/you*; in an
  account manager's note they read *they/their/them* and *we/our/us*.
* slots: ``{item}`` ``{cert}`` ``{doc}`` ``{tool}`` ``{boss}`` ``{rep}`` ``{site}`` ``{month}``
  ``{n}`` (two..five) ``{days}`` ``{weeks}`` ``{pct}`` ``{hours}``.
"""

from __future__ import annotations

POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"
GOODS = frozenset({"precision_components", "mro_supplies", "employee_gifts"})

CLAUSES: dict[str, dict[str, tuple[str, ...]]] = {
    "product": {
        POSITIVE: (
            "g|the {item} have been excellent, zero rejects at incoming inspection since {month}",
            "g|quality of the {item} is consistently good and well within tolerance",
            "g|the new {item} perform better than what {we} had before",
            "g|{your} {item} just work, {our} engineers stopped checking every batch",
            "the range covers nearly everything {we} need, no more hunting for a second supplier",
            "g|the {item} held up well under {our} heaviest use this quarter",
            "g|failure rate on the {item} is the lowest of all {our} suppliers",
            "g|{our} technicians like working with the {item}, they are robust and well documented",
            "quality of {your} {item} is the main reason {we} stay with {you_}",
            "g|the samples passed {our} qualification on the first try",
            "{your} {item} are clearly a cut above the competition",
            "s|the {item} run smoothly, {we} have had no incidents since {month}",
            "s|the quality of the {item} is consistently high across all {our} sites",
            "s|the {item} have improved a lot since the issues {we} flagged last year",
            "s|the {item} are exactly what {we} specified, and more reliable than before",
        ),
        NEGATIVE: (
            "g|{n} batches of {item} failed incoming inspection this quarter",
            "g|the {item} wear out much faster than the spec sheet promises",
            "g|{we} keep finding defects in the {item}, rework is eating {our} margins",
            "quality of the {item} has slipped since {month}",
            "the {item} fall short of what competitors offer",
            "g|{we} had {hours} hours of downtime because of a faulty batch of {item}",
            "g|spare parts for the {item} are hard to get and the range keeps shrinking",
            "g|the {item} do not meet the tolerance {we} agreed on in the specification",
            "g|{our} engineers no longer trust the {item} without a full re-test",
            "g|the {item} failed a field test at {site}",
            "s|{we} had {hours} hours of downtime because the {item} failed",
            "s|the {item} do not meet the service level {we} agreed on in the contract",
            "s|the last change to the {item} broke things that used to work",
            "s|{we} keep finding errors in the {item} and {our} people have to redo the work",
            "s|{our} team double-checks all the {item} because mistakes keep slipping through",
        ),
        NEUTRAL: (
            "the {item} do what they should, nothing more",
            "quality is about the same as with other suppliers",
            "no complaints about the {item} but nothing that stands out either",
            "g|the {item} are fine for {our} standard lines",
            "s|the {item} are fine for {our} standard needs",
        ),
    },
    "price": {
        POSITIVE: (
            "pricing is fair for the quality {we} get",
            "the volume discount helped {us} hit {our} cost-down target of {pct}%",
            "prices stayed stable this year while others raised theirs by {pct}%",
            "the price list is clear and there are no hidden surcharges",
            "{you} found a cheaper alternative for the {item} without losing quality",
            "total cost of ownership is better than with {our} previous supplier",
            "the payment terms {you} agreed to made a real difference for {our} cash flow",
            "good value for money, finance has nothing to complain about",
            "the framework agreement saves {us} about {pct}% compared to spot buying",
        ),
        NEGATIVE: (
            "the {pct}% price increase came with no explanation",
            "{you} are noticeably more expensive than the other quote {we} received",
            "surcharges keep appearing on the {doc} without warning",
            "{we} were asked to cut supplier costs by {pct}% and {you} offered nothing",
            "prices for the {item} went up twice in a year",
            "the freight and handling fees make the total price hard to justify",
            "finance questioned why {we} pay a premium for the {item}",
            "the renewal quote was {pct}% higher than last year",
            "pricing is not competitive any more, {we} are getting cheaper offers every week",
        ),
        NEUTRAL: (
            "prices are in line with the market",
            "the price is acceptable, nothing special",
            "cost is roughly what {we} budgeted",
            "pricing was discussed and stays as it is for now",
        ),
    },
    "fulfilment": {
        POSITIVE: (
            "g|deliveries of the {item} always arrive on the promised date",
            "s|{your} team always sticks to the agreed dates for the {item}",
            "lead time went down to {weeks} weeks, which really helps {our} planning",
            "g|the rush order was delivered in {days} days, faster than {we} expected",
            "s|the urgent request was handled in {days} days, faster than {we} expected",
            "g|every delivery this quarter was complete and on time",
            "s|every job this quarter was finished on time and complete",
            "installation at {site} went smoothly and finished a day early",
            "{you} delivered exactly what was promised, on time and complete",
            "g|the {cert} came with the shipment, so the goods were cleared on arrival",
            "s|the {cert} arrived on time, so {our} audit went smoothly",
            "the service engineer was on site within {hours} hours",
            "g|{your} logistics team handled the peak season without a single missed slot",
            "s|{your} team handled the peak season without a single missed slot",
            "g|not one late delivery in {n} months",
            "s|not one missed deadline in {n} months",
        ),
        NEGATIVE: (
            "g|the last {n} deliveries of {item} arrived {days} days late",
            "s|the last {n} {item} were {days} days behind schedule",
            "lead times have stretched to {weeks} weeks and nobody warned {us}",
            "g|{we} had to stop a line at {site} because the {item} did not arrive",
            "s|{we} had to stop work at {site} because {your} {item} slipped",
            "g|deliveries keep coming in incomplete and {we} chase the missing parts every time",
            "s|jobs are left half-finished and {we} have to chase {your} team every time",
            "g|the {cert} were missing again, so the goods sat in quarantine for {days} days",
            "s|the {cert} were missing again and {we} chased them for {days} days",
            "the promised date slipped {n} times",
            "g|the service visit was postponed twice and {our} machine stayed down",
            "s|the go-live was postponed twice without a clear reason",
            "g|the order was delivered to the wrong site",
            "s|{your} team turned up at the wrong site",
            "the delay cost {us} {hours} hours of downtime",
            "g|half of the order arrived damaged and the replacement took {weeks} weeks",
            "delivery reliability has been poor since {month}",
        ),
        NEUTRAL: (
            "g|deliveries have been mostly as planned",
            "s|jobs have mostly run as planned",
            "g|the shipment arrived, {we} are still checking it",
            "s|the job is done, {we} are still checking the result",
            "lead times are what {we} expected",
            "the delivery was okay, nothing to report",
        ),
    },
    "ease": {
        POSITIVE: (
            "ordering through {tool} is quick and simple",
            "{we} can see order status and stock in {tool} without calling anyone",
            "questions get answered the same day",
            "the {doc} are correct and easy to reconcile",
            "one contact person for everything saves {our} team a lot of coordination",
            "{your} support desk fixed the issue within {hours} hours",
            "the process is transparent, {we} always know where an order stands",
            "adding an urgent order at short notice was painless",
            "{your} team answers emails quickly, even on Fridays",
        ),
        NEGATIVE: (
            "{we} spend hours chasing order confirmations",
            "the {doc} are wrong every other month and take weeks to correct",
            "nobody answers the support line and tickets sit open for {days} days",
            "{tool} is confusing and {our} buyers gave up on it",
            "{we} never know the status of an order without calling {rep}",
            "every change request needs {n} emails and a phone call",
            "the ordering process is far too complicated for a simple reorder",
            "{we} waited {days} days for a reply to a simple question",
            "g|the credit note for the returned {item} is still missing after {weeks} weeks",
            "s|the credit note for the cancelled {item} is still missing after {weeks} weeks",
            "{our} buyers have to coordinate between {n} different people at {your} company",
        ),
        NEUTRAL: (
            "ordering works, though it could be simpler",
            "the process is the usual one, no surprises",
            "{tool} is okay for basic orders",
            "response times are average",
        ),
    },
    "presence": {
        POSITIVE: (
            "the cost-saving report {you} prepared went straight into {our} presentation to {boss}",
            "{boss} noticed the improvement and mentioned it in the quarterly review",
            "the dashboard {you} built lets {our} buyer show results to {boss}",
            "{you} shared a benchmark from the industry that made {our} team look good",
            "thanks to {your} savings summary, purchasing got credit for the {pct}% reduction",
            "{you} helped {us} present the project results to the board",
            "the case study on {our} {site} project got attention from {boss}",
        ),
        NEGATIVE: (
            "{we} have nothing to show {boss} for the money {we} spend with {you_}",
            "{we} asked for a savings report for {boss} and never received it",
            "when things go wrong, {our} buyer takes the blame in front of {boss}",
            "{you} never share data {we} could use in {our} internal reviews",
            "{boss} asked what the partnership brings {us} and {we} had no answer",
            "the quarterly report {you} send is generic and useless for {our} management",
        ),
        NEUTRAL: (
            "the quarterly report is fine but {boss} rarely reads it",
            "{we} have not needed any reporting support lately",
            "the review meeting was routine",
        ),
    },
    "trust": {
        POSITIVE: (
            "{rep} is professional and always keeps promises",
            "{rep} knows {our} business and thinks ahead",
            "{we} trust {your} account team to tell {us} the truth, even when it is bad news",
            "{rep} escalated {our} problem internally and came back with a fix",
            "the account team feels like a real partner, not a sales desk",
            "{rep} followed up after the issue without being asked",
            "{we} have worked with {rep} for years and it shows",
            "{your} engineers were honest about what the {item} can and cannot do",
        ),
        NEGATIVE: (
            "{rep} promised a fix by {month} and nothing happened",
            "{we} have had {n} different account managers in two years",
            "{your} sales team only calls when the contract is up for renewal",
            "{we} found out about the price change from the invoice, not from {rep}",
            "{rep} does not understand {our} processes",
            "{we} no longer believe the commitments {your} team makes",
            "nobody from {your} side showed up to the escalation meeting",
            "{rep} left and the handover was a mess",
        ),
        NEUTRAL: (
            "{rep} is new and {we} are still getting to know each other",
            "the relationship is businesslike",
            "contact with the account team is regular but brief",
        ),
    },
}

# Comments that touch no driver at all.
GENERAL_NEUTRAL: tuple[str, ...] = (
    "nothing special to report this quarter",
    "no major issues at the moment",
    "business as usual, orders are running",
    "{we} are still evaluating the last quarter",
    "no changes planned on {our} side",
    "{we} will come back with details after {our} internal review",
    "the team is busy with the year-end closing, more feedback later",
    "volumes are stable for now",
)
