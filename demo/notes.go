package demo

import "starling"

// window is the stretch of the four weeks a post falls in.
type window uint8

const (
	wAny       window = iota // any working day of the four weeks
	wFirstDays               // the first three days, when the community got going
	wBuildUp                 // the fortnight before the conference
	wDay1                    // the first day of the conference
	wDay2                    // the second day
	wAfter                   // from the end of the conference until now
	wRecent                  // the last day
)

// note is a post in the script. Text may mention accounts as {@key}, which
// becomes @username; {@peer} is someone from the author's region, {org} and
// {region} the author's organisation and region.
type note struct {
	by     string // the author's key; "" lets the seed pick someone in groups
	groups group
	when   window
	hour   float64 // hour of the day (UTC) it goes out; 0 lets the seed pick one in working hours
	vis    starling.Visibility
	text   string
	edit   string // when set, the author corrects the post to this a little later
	pin    bool   // the author pins it to their profile
}

// notes are the posts that start no thread.
var notes = []note{
	// The sector body.
	{by: sectorBodyKey, when: wFirstDays, pin: true,
		text: "A reminder for everyone here: this is a public space. Never post anything that could identify a person who draws on care and support, even in passing, even with details changed. When in doubt, leave it out. #confidentiality #socialcare"},
	{by: sectorBodyKey, text: "Our spring budget survey is open until the end of the month. It takes about ten minutes, and every response helps us make the case for sustainable funding for adult social care. https://example.org/surveys/spring-budget #socialcare"},
	{by: sectorBodyKey, text: "New guide: Strengths-based practice, what good looks like. Written with practitioners and people with lived experience from six councils. https://example.org/guides/strengths-based-practice #strengthsbased #socialwork"},
	{by: sectorBodyKey, text: "The Care Workforce Observatory's annual report is out today. Vacancies are down for the second year running, but too many new starters still leave within a year. Our summary: https://example.org/reports/care-workforce-2026 #workforce #socialcare"},
	{by: sectorBodyKey, text: "Thank you to everyone who joined yesterday's webinar on hospital discharge. The recording and slides are now available to members: https://example.org/webinars/discharge-recording #hospitaldischarge"},
	{by: sectorBodyKey, text: "We're gathering examples of co-production in commissioning for our next practice briefing. Reply here or get in touch through our website. #coproduction #commissioning"},
	{by: sectorBodyKey, text: "Carers give so much, and too many are running on empty. Our joint statement with carers' organisations on breaks and replacement care: https://example.org/statements/carers-breaks #carers"},
	{by: sectorBodyKey, when: wAfter, text: "Our practice note on hospital discharge, built from your replies here, is out now. Thank you to everyone who shared what works. https://example.org/practice-notes/discharge #hospitaldischarge #reablement"},

	// The council, the carers' charity and the home care provider.
	{by: "westshire_cc", text: "Are you looking after a family member or a friend? A carer's assessment is free and could help you get a break. Find out more: https://example.org/westshire/carers #carers"},
	{by: "westshire_cc", text: "We're recruiting social workers for our community teams across Westshire: flexible working, a supportive ASYE programme and a brilliant team. https://example.org/jobs/westshire-social-workers #socialwork #workforce"},
	{by: "westshire_cc", text: "This week we're shining a light on our reablement team, who help people regain confidence and independence at home after a stay in hospital. #reablement"},
	{by: "westshire_cc", text: "Our adult social care annual report is published today, in plain English and with an easy read version: https://example.org/westshire/annual-report #socialcare"},
	{by: "westshire_cc", text: "Drop-in sessions about paying for care: every Tuesday this month in libraries across the county. No appointment needed. https://example.org/westshire/paying-for-care",
		edit: "Drop-in sessions about paying for care: every Wednesday this month in libraries across the county (we said Tuesday earlier, sorry!). No appointment needed. https://example.org/westshire/paying-for-care"},
	{by: "hearthside_carers", text: "Our carers' café is back this Thursday: tea, cake and people who get it. All unpaid carers welcome, no need to book. #carers"},
	{by: "hearthside_carers", text: "Caring for someone can be lonely. Our peer support groups meet online every Monday evening: https://example.org/hearthside/peer-support #carers #mentalhealth"},
	{by: "hearthside_carers", text: "Results of our breaks survey: six in ten carers had not had a single day off caring in the last year. Full report: https://example.org/reports/carers-breaks-survey #carers"},
	{by: "hearthside_carers", text: "A huge thank you to the volunteers who answered our advice line this month. More calls than ever, and every one mattered. #carers #volunteers"},
	{by: "brightwater_care", text: "We're hiring care workers in Eastmarch: paid travel time, guaranteed hours and the real Living Wage. https://example.org/jobs/brightwater #homecare #workforce"},
	{by: "brightwater_care", text: "Congratulations to our newest team members on finishing their induction. Welcome to Brightwater! #homecare"},

	// Leaders.
	{by: "helen_sutcliffe", text: "Proud of our teams in Westshire this week. Waiting lists for assessment are at their lowest for three years, thanks to a lot of quiet, careful work. #socialcare"},
	{by: "helen_sutcliffe", text: "Spent the afternoon with our reablement team. The best conversations about independence I've heard in a long time. #reablement"},
	{by: "kwame_mensah", text: "Spent the morning shadowing our front door team. The skill in those first conversations is remarkable: listening for what matters, not just for what's wrong. #strengthsbased"},
	{by: "kwame_mensah", text: "Prevention is the best value money we spend, and the first thing at risk when budgets tighten. We have to keep making that case. #socialcare"},
	{by: "fiona_macleod", text: "Budget-setting season. The hardest part of the job is balancing what we know works (prevention, early help) against statutory pressures that grow every year. #socialcare"},
	{by: "imran_qureshi", text: "Our integrated neighbourhood teams have been running for six months. Early signs: fewer handoffs, quicker decisions, happier staff. Evaluation to follow. #integration"},
	{by: "deborah_ashworth", text: "Met our new cohort of ASYE social workers today. Welcome, all. Ask questions, look after yourselves, and remember why you came into this work. #socialwork #ASYE"},
	{by: "daniel_cohen", text: "Commissioning for outcomes isn't a spreadsheet exercise. The best contracts we have were designed with the people who use the services. #commissioning #coproduction"},
	{groups: gLeader, text: "Reading the workforce report on the train. Fewer vacancies is welcome, but the pay gap with similar NHS roles still shapes who stays. https://example.org/reports/care-workforce-2026 #workforce"},
	{groups: gLeader, text: "A note to myself and others: the quarterly numbers describe last quarter. To find out about this one, talk to frontline staff. #socialcare"},
	{groups: gLeader, text: "Good meeting with our provider forum today. Honest about the pressures on both sides, and some practical ideas to take forward together. #commissioning"},

	// Social work.
	{by: "priya_sharma", text: "Practice week in Westshire: five days of learning sessions, reflective groups and a celebration on Friday. Thank you to everyone who offered a session! #socialwork"},
	{by: "priya_sharma", text: "Strengths-based doesn't mean 'no services'. It means starting with what matters to the person and building support around that. #strengthsbased"},
	{by: "gareth_hughes", text: "Supervision is where good practice is protected. If yours keeps being cancelled, please raise it: it matters. #socialwork"},
	{by: "grace_okonkwo", text: "Our reflective practice group this morning talked about professional curiosity. A good reminder to always ask the second question. #safeguarding #socialwork"},
	{by: memberKey, text: "First week back after leave and my inbox is... a lot. Triage, coffee, then one thing at a time. #socialwork"},
	{by: memberKey, text: "Joint visit with {@megan_lloyd} today. Having an OT in the room changed the whole conversation about what's possible at home. #occupationaltherapy #strengthsbased"},
	{by: "siobhan_oneill", text: "Writing assessments in the person's own words takes longer, but it's worth every minute. People should recognise themselves in what we write. #socialwork"},
	{by: "tomasz_nowak", text: "Team away day: we mapped every handoff in our hospital pathway on one wall. Eleven of them! We're aiming for five by the summer. #hospitaldischarge"},
	{by: "zainab_hussain", text: "Hospital social work tip: start the conversation about going home on day one, not the day before discharge. #hospitaldischarge"},
	{by: "ewan_campbell", vis: starling.VisibilityPrivate, text: "Long shift. Grateful for colleagues who check in afterwards. Look after each other. #mentalhealth"},
	{by: "ewan_campbell", text: "Mental health social work is still social work: housing, money, relationships and purpose matter as much as medication. #mentalhealth #socialwork"},
	{by: "ruth_goldberg", text: "Safeguarding Adults Week is coming up. This year our board is focusing on self-neglect: resources and a webinar to follow. #safeguarding"},
	{by: "ruth_goldberg", text: "Making safeguarding personal in one line: ask the person what outcome they want, and keep asking. #safeguarding"},
	{by: "winston_clarke", text: "Independent advocacy is a right under the Care Act, not a favour. If someone would have substantial difficulty being involved and has no one appropriate to support them, refer early. #advocacy"},
	{by: "nkechi_eze", text: "Six months into my ASYE. Things I wish I'd known: it's fine to say 'I don't know yet, I'll find out'. #ASYE #socialwork"},
	{by: "nkechi_eze", text: "Thank you to my practice educator {@sophie_latham} for the most useful supervision so far. #ASYE"},
	{by: "sophie_latham", text: "Practice educators: our next forum is about giving feedback that helps people grow. Bring an example (anonymised properly, please!). #socialwork"},
	{groups: gSocialWork, text: "Weekend reading: the new strengths-based practice guide. Already disagreeing with chapter three, in a healthy way. https://example.org/guides/strengths-based-practice #strengthsbased"},
	{groups: gSocialWork | gOT, text: "Friday reflection: what went well this week? For me, a family meeting where everyone left feeling heard. #socialwork"},
	{groups: gSocialWork, text: "Mental capacity assessments are decision-specific and time-specific. Worth repeating, because it still gets forgotten. #socialwork"},
	{groups: gSocialWork, text: "Caseload review day. Closing cases well is a skill too: making sure people know how to get back in touch if things change. #socialwork"},
	{groups: gSocialWork, when: wRecent, text: "Home visit cancelled because of the weather, so I'm catching up on case notes with a very large tea. #socialwork"},

	// Occupational therapy.
	{by: "megan_lloyd", text: "OT win of the week: a grab rail and a perching stool meant someone could shower on their own again. Small kit, big difference. #occupationaltherapy"},
	{by: "megan_lloyd", text: "Thanks {@alex_morgan} for a great joint visit. More of these, please! #occupationaltherapy #socialwork"},
	{by: "olumide_adebayo", text: "We've cut our waiting list for OT assessments by a third by training reablement staff as trusted assessors. Happy to share our approach. #occupationaltherapy #reablement"},
	{by: "harpreet_kaur", text: "Moving and handling reviews: the aim is the right equipment and the right technique for the person, and care that feels dignified. #occupationaltherapy"},
	{by: "rhiannon_price", text: "Reablement OT life: today's goal was making a cup of tea independently. Goal achieved, and celebrated with... a cup of tea. #reablement #occupationaltherapy"},
	{groups: gOT, text: "Home adaptations are so often the difference between staying at home and moving into care. Disabled Facilities Grants need to be quicker. #occupationaltherapy"},
	{groups: gOT, text: "Reminder that equipment is only half the answer: it has to fit the person's routines and the way they actually use their home. #occupationaltherapy"},

	// Providers.
	{by: "lucy_fairweather", text: "Our garden project is blooming, literally. Residents chose every plant this year. #carehomes"},
	{by: "lucy_fairweather", text: "Inspection next week. The team is calm, because we've been doing the right things all along. Proud of them. #carehomes"},
	{by: "tariq_malik", text: "Bank holiday rota done. Thank you to everyone who swapped shifts so others could be with family. #homecare"},
	{by: "abigail_osei", text: "We've joined the local dementia-friendly network. Next step: training for every member of staff, kitchen and housekeeping included. #dementia #carehomes"},
	{by: "ross_mcallister", text: "Supported living is about ordinary lives: a job, friends, a home of your own. Today someone we support got the keys to their new flat. What a day. #supportedliving"},
	{by: "katie_marsh", text: "Twelve years in home care this month. Still love it. #homecare #workforce"},
	{by: "femi_adeyemi", text: "Finished my Care Certificate today! Next up: the Level 3 diploma. #workforce"},
	{groups: gProvider, text: "Question for fellow managers: how are you handling fuel costs for home care staff? Mileage rates, pool cars, zoning? #homecare"},
	{groups: gProvider, text: "Recognition matters. A thank-you card from a family is still pinned above my desk after five years. #workforce"},
	{groups: gProvider, when: wRecent, text: "Staff meeting this morning, and the best idea came from our newest team member. Always ask everyone. #workforce"},

	// Carers and Shared Lives.
	{by: "sunita_gill", text: "If you're a carer reading this: your own health matters too. Book that GP appointment you keep putting off. #carers"},
	{by: "bethany_hall", text: "Our carers' hub now has evening drop-ins for working carers, every Wednesday until 8pm. #carers"},
	{by: "patrick_doyle", text: "Ten years as a Shared Lives carer. It's family life, with a bit more paperwork. #sharedlives"},
	{by: "patrick_doyle", vis: starling.VisibilityPrivate, text: "Annual review done, and a lovely afternoon out afterwards. Good day. #sharedlives"},
	{by: "mei_chen", text: "Shared Lives matching isn't quick, and it shouldn't be. Getting to know each other properly is what makes arrangements last. #sharedlives"},
	{by: "joanne_whittaker", text: "Our dementia café had live music today: a room full of people singing along to songs from the sixties. #dementia"},
	{by: "joanne_whittaker", text: "New toolkit for dementia-friendly day services, free to download: https://example.org/toolkits/dementia-friendly-day-services #dementia"},
	{groups: gCarers, text: "Carers' Rights Day is a good moment to remind people they have a right to a carer's assessment. Please share. #carers"},
	{groups: gCarers, text: "If you support a carer at work: a little flexibility around appointments makes a huge difference. #carers #workforce"},

	// Commissioning, reablement, discharge and technology.
	{by: "andrew_nolan", text: "Our market position statement consultation is open. Providers, tell us what gets in the way of growing in Westshire: https://example.org/westshire/market-position #commissioning"},
	{by: "parveen_akhtar", text: "Moving home care to zones has cut travel time and improved continuity of care, which is the thing people tell us they value most. #homecare #commissioning"},
	{by: "simon_pryce", text: "Reablement this quarter: 72% of people needed less ongoing care, or none, afterwards. Behind every number is someone back to doing what matters to them. #reablement"},
	{by: "simon_pryce", text: "Benchmarking report for reablement services is out, with a good section on measuring outcomes that matter: https://example.org/reports/reablement-benchmarking #reablement"},
	{by: "aisha_rahman", text: "Working on our reablement offer for people living with dementia: longer, slower, more repetition. Early results are promising. #reablement #dementia"},
	{by: "callum_fraser", text: "Discharge to assess works when the assessment happens at home, in the real environment, not on the ward. #hospitaldischarge"},
	{by: "chloe_bennett", text: "Technology enabled care should start with 'what would help you feel safe and independent?', not 'which gadget have we got?'. #techenabledcare"},
	{by: "chloe_bennett", text: "Our sensor pilot evaluation is published. Mixed findings, and we're sharing all of it, including what didn't work: https://example.org/reports/tec-sensor-pilot #techenabledcare"},
	{groups: gCommissioning, text: "Fair cost of care conversations go better when we share the numbers openly with providers. #commissioning"},
	{groups: gCommissioning, text: "Reminder that 'home first' needs home care capacity on day one. Discharge and commissioning plans have to be the same plan. #hospitaldischarge #homecare"},

	// Communications.
	{by: "jamal_ahmed", text: "Writing about social care for the public is hard. Words we use every day (reablement, domiciliary, packages) mean little to most people. #plainenglish"},
	{by: "eleanor_vance", text: "Our new adult social care web pages were tested with people who use services and with carers. Reading age down, satisfaction up. #plainenglish #socialcare"},
	{groups: gComms, text: "Comms tip: a photo of a real team beats stock images every time. Ask permission, check backgrounds, never include people who use services without consent. #socialcare"},

	// Workforce, research and co-production.
	{by: "gavin_rowe", text: "Our care academy's first cohort graduates next week: 24 new care workers, 19 of whom had never worked in care before. #workforce"},
	{by: "nadia_kowalski", text: "New paper: what makes strengths-based conversations work, from interviews with 40 practitioners. Open access. #strengthsbased #research",
		edit: "New paper: what makes strengths-based conversations work, from interviews with 40 practitioners. Open access, and now with the link: https://example.org/research/strengths-conversations #strengthsbased #research"},
	{by: "yusuf_patel", text: "Co-production is not a consultation with better biscuits. It's sharing power from the start. #coproduction"},
	{by: "yusuf_patel", text: "Our experts by experience panel has redesigned the carer's assessment form. Half the length, twice as clear. #coproduction #carers"},
	{groups: gWorkforce | gLeader, text: "Care work is skilled work. Pay, progression and recognition should say so. #workforce"},

	// More from across the sector.
	{by: sectorBodyKey, text: "Consultation response submitted on the future of care workforce pay. Thank you to the 140 members who shared evidence with us. https://example.org/consultations/workforce-pay #workforce"},
	{by: "westshire_cc", text: "Thinking about your own future care? Our new online tool helps you plan ahead, in about fifteen minutes: https://example.org/westshire/plan-ahead #socialcare"},
	{by: "fiona_macleod", text: "Transitions from children's to adult services should feel like one journey, not a cliff edge. Our new joint team starts working with young people at 14. #socialcare"},
	{by: "imran_qureshi", text: "Housing is a social care issue. Good, accessible homes keep people independent for longer, and we need planners in the room. #prevention #housing"},
	{by: "gareth_hughes", text: "Learning disability social work: the best reviews I've seen were led by the person, in a place they chose, with people they invited. #socialwork"},
	{by: "harpreet_kaur", text: "Falls prevention isn't only about equipment. Strength and balance classes, good lighting and a look at medication all play a part. #prevention #occupationaltherapy"},
	{by: "abigail_osei", text: "Our nurses have started a monthly teaching slot for care staff from other homes nearby. Shared learning, shared tea. #carehomes #workforce"},
	{by: "bethany_hall", text: "Young carers growing up become young adult carers. Let's make sure nobody falls through the gap at 18. #carers"},
	{by: "callum_fraser", text: "Winter planning has started. The question on the wall: what would it take for nobody to wait in hospital for care that could be given at home? #hospitaldischarge"},
	{by: "eleanor_vance", text: "Easy read isn't an afterthought. Our easy read versions are now written alongside the main document, with a group of people with learning disabilities. #plainenglish"},
	{by: "aisha_rahman", text: "Reablement team meeting highlight: a carer who told us the six weeks changed how the whole family works together. #reablement #carers"},
	{by: "winston_clarke", text: "Advocates see the system from the outside. Please invite us to your practice forums: we'll bring honest feedback and a few ideas. #advocacy"},
	{groups: gLeader | gCommissioning, text: "Spent the day with providers talking about the winter. Honest conversations now save a lot of firefighting in January. #commissioning #homecare"},
	{groups: gSocialWork, text: "Reflective supervision today reminded me how much lighter a hard week feels once you've talked it through. #socialwork"},

	// Direct messages: a reminder that case details belong elsewhere.
	{by: "grace_okonkwo", vis: starling.VisibilityDirect,
		text: "{@priya_sharma} loved your idea for practice week. Shall we run the session together? Let's pick it up by email rather than here: the case study needs anonymising properly first."},
	{by: "tomasz_nowak", vis: starling.VisibilityDirect,
		text: "{@aisha_rahman} could we compare notes on the discharge pathway mapping next week? I'll send a meeting invite."},
}

// conferenceOpening starts the conference account's first post on its first
// day, by which a later run finds the days again.
const conferenceOpening = "Good morning and welcome to #adassspring!"

// conferenceNotes are the posts about the Spring Seminar.
var conferenceNotes = []note{
	{by: conferenceKey, when: wBuildUp, text: "The programme is live! Two days of keynotes, workshops and conversations for everyone working in adult social care. https://example.org/spring-seminar/programme #adassspring"},
	{by: conferenceKey, when: wBuildUp, text: "Workshop spotlight: 'Home first, every time', on what reablement, OTs and home care can do together when discharge gets tough. Day 1, 2pm, Room B. #adassspring #reablement",
		edit: "Workshop spotlight: 'Home first, every time', on what reablement, OTs and home care can do together when discharge gets tough. Day 1, 2:30pm (new time), Room B. #adassspring #reablement"},
	{by: conferenceKey, when: wBuildUp, text: "Coming for the first time? Our guide covers getting there, step-free access, the quiet room and the prayer room: https://example.org/spring-seminar/first-timers #adassspring"},
	{by: conferenceKey, when: wBuildUp, text: "Speakers: please send us your slides by Friday so we can share them with delegates afterwards. Thank you! #adassspring"},
	{groups: gPeople, when: wBuildUp, text: "Booked my place at #adassspring. Who else is going?"},
	{by: "mei_chen", when: wBuildUp, text: "Our poster for #adassspring is printed! Come and find us in the atrium on Day 1. #sharedlives"},
	{groups: gLeader | gSocialWork | gCommissioning, when: wBuildUp, text: "Preparing slides for #adassspring. How many words on a slide is too many? Asking for myself."},

	{by: conferenceKey, when: wDay1, hour: 8.25, text: conferenceOpening + " Registration is open, the coffee is on and the main hall opens at 9:30. The Wi-Fi details are on the back of your badge."},
	{by: conferenceKey, when: wDay1, hour: 9.6, text: "Opening keynote from {@helen_sutcliffe}: 'Care that fits around lives, not the other way round'. Follow #adassspring for the highlights."},
	{groups: gLeader | gSocialWork, when: wDay1, text: "Brilliant opening keynote at #adassspring. 'Care that fits around lives' belongs on the first page of every strategy."},
	{groups: gPeople, when: wDay1, text: "#adassspring keynote figure: most people want to be supported at home for as long as possible. Our systems should be built around that. #HomeFirst"},
	{by: conferenceKey, when: wDay1, hour: 12.5, text: "Lunch is served in the atrium, and the poster exhibition is open until 2pm: do stop by and talk to the teams behind the posters. #adassspring"},
	{groups: gOT | gCommissioning, when: wDay1, text: "At the reablement workshop at #adassspring. Key message: OTs, reablement and home care need shared goals, not just shared referrals. #reablement"},
	{groups: gCommissioning | gSocialWork, when: wDay1, text: "Our team is presenting on hospital discharge in the {region} at 3:15 in Room C. Come and say hello! #adassspring #hospitaldischarge"},
	{groups: gSocialWork | gComms, when: wDay1, text: "#adassspring session on professional social media: 'If you wouldn't say it in a lift, don't post it.' Simple and memorable. #confidentiality"},
	{groups: gCarers, when: wDay1, text: "Carers' voices at #adassspring: a carer on the panel asked us to stop talking about caring as a burden. Lots to think about. #carers"},
	{by: "joanne_whittaker", when: wDay1, text: "Lots of interest in the dementia-friendly day services poster at #adassspring. The toolkit is here: https://example.org/toolkits/dementia-friendly-day-services #dementia"},
	{groups: gPeople, when: wDay1, text: "Networking tip from #adassspring: the coffee queue is where the real conference happens."},
	{by: conferenceKey, when: wDay1, hour: 17.4, text: "That's a wrap for Day 1 of #adassspring. Thank you to our speakers, chairs and the volunteers who kept everything running. See you tomorrow at 9!"},

	{by: conferenceKey, when: wDay2, hour: 8.6, text: "Day 2 of #adassspring opens with a panel on the workforce: pay, progression and pride in care, chaired by {@gavin_rowe}."},
	{groups: gProvider | gWorkforce, when: wDay2, text: "Standing room only for the workforce panel at #adassspring. So good to hear care workers on the panel, not just being talked about. #workforce"},
	{groups: gLeader | gCommissioning, when: wDay2, text: "Workshop on commissioning for outcomes at #adassspring: practical, honest, no buzzwords. More of this, please. #commissioning"},
	{by: "chloe_bennett", when: wDay2, text: "Technology enabled care session at #adassspring: ask what would help, then find the tech. Hear, hear. #techenabledcare"},
	{groups: gWorkforce | gLeader, when: wDay2, text: "Interesting finding shared at #adassspring: councils that co-produce well also report higher staff satisfaction. #coproduction"},
	{groups: gPeople, when: wDay2, text: "Met {@peer} in person for the first time at #adassspring after two years of online meetings. The best bit of any conference."},
	{groups: gPeople, when: wDay2, text: "Thank you to everyone who came to our workshop at #adassspring! The slides will be on the conference website next week."},
	{by: conferenceKey, when: wDay2, hour: 16.8, text: "Thank you for coming to #adassspring! Slides from both days will be at https://example.org/spring-seminar/slides by the end of next week."},
	{groups: gPeople, when: wDay2, hour: 18.2, text: "Heading home from #adassspring with a notebook full of ideas and a bag full of leaflets. Thank you to the organisers!"},

	{by: conferenceKey, when: wAfter, text: "Our feedback survey is open: tell us what worked at #adassspring and what we should change next year. https://example.org/spring-seminar/feedback"},
	{groups: gLeader | gSocialWork | gWorkforce, when: wAfter, text: "Reflections after #adassspring: we know what works. The challenge is doing it everywhere, with the money and the people we have."},
}
