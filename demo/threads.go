package demo

// thread is a post and the conversation under it.
type thread struct {
	root    note
	replies []reply
}

// reply answers the root (to 0) or an earlier reply (to n, the n-th reply).
// The parent's author is mentioned at the start, as apps do.
type reply struct {
	by   string
	to   int
	text string
}

var threads = []thread{
	{root: note{by: adminKey, when: wFirstDays, hour: 9, pin: true,
		text: "Welcome to our community for people working in adult social care! Say hello, share what you're proud of and ask for views. House rule number one: never post anything that could identify a person who uses services. #welcome"},
		replies: []reply{
			{by: "megan_lloyd", text: "Hello everyone! Community OT in Westshire, happy to be here."},
			{by: "kwame_mensah", text: "Thanks for setting this up. Looking forward to the conversations."},
			{by: "bethany_hall", text: "Hello from the Westshire Carers' Hub! Carers, this is a space for you too."},
			{by: memberKey, text: "Hi all, social worker in Westshire. Mostly here to learn from you!"},
		}},
	{root: note{by: "priya_sharma", when: wFirstDays,
		text: "A strengths-based practice question for colleagues: what does a good first conversation sound like to you? #strengthsbased #socialwork"},
		replies: []reply{
			{by: "grace_okonkwo", text: "It starts with 'what does a good day look like for you?' and then a lot of listening."},
			{by: "gareth_hughes", text: "When the person does most of the talking, and the form gets filled in afterwards, not during."},
			{by: memberKey, text: "Honestly? When I leave knowing what matters to them, not just what they can't do."},
			{by: "priya_sharma", to: 3, text: "Love this. That's exactly the shift."},
			{by: "nadia_kowalski", text: "That's close to what practitioners told us in our interviews: time, curiosity and permission to go off-script. https://example.org/research/strengths-conversations"},
		}},
	{root: note{by: sectorBodyKey,
		text: "Asking for views: what has helped most with hospital discharge in your area? Practical examples especially welcome. #hospitaldischarge #socialcare"},
		replies: []reply{
			{by: "callum_fraser", text: "A daily huddle with ward staff, therapists, social work and home care providers on one call. Fifteen minutes every morning. It cut delays more than anything else we tried."},
			{by: "simon_pryce", text: "Reablement staff who can start the same day. We ring-fenced capacity for discharges and it paid for itself. #reablement"},
			{by: "tariq_malik", text: "From the home care side: notice! Even a few hours' warning lets us match the right carer instead of whoever happens to be free."},
			{by: "rhiannon_price", to: 1, text: "Seconding the huddle. We also put an OT in the discharge hub, so equipment is sorted before the person leaves."},
			{by: "callum_fraser", to: 4, text: "Great idea. How did you fund the post?"},
			{by: "rhiannon_price", to: 5, text: "Joint funding from the council and the trust for a year. It became permanent once the numbers were in."},
			{by: "zainab_hussain", text: "Starting the conversation about home on the first day of the admission, with the person and their family."},
			{by: sectorBodyKey, text: "Thank you all, this is really useful. We'll pull it together into a short practice note for members."},
		}},
	{root: note{by: "sunita_gill",
		text: "Planning our activities for carers this summer. What would you most like to see: more cafés, a pamper day, or sessions on legal and money advice? #carers"},
		replies: []reply{
			{by: "bethany_hall", text: "Money advice every time. So many carers miss out on benefits they're entitled to."},
			{by: "joanne_whittaker", text: "A pamper day! The carers I work with rarely get anything just for themselves."},
			{by: "hearthside_carers", text: "Our advice team can come to any session in the North West, just ask."},
			{by: "sunita_gill", text: "Thanks, all. We're going for a mix: two cafés, one pamper day and money advice at each of them."},
		}},
	{root: note{by: "chloe_bennett",
		text: "Has anyone evaluated sensors in the home for people who live alone? We'd like to learn from others before we scale up. #techenabledcare"},
		replies: []reply{
			{by: "nadia_kowalski", text: "There's a small but growing evidence base. The consistent finding: it works as part of a care plan, not as a substitute for one."},
			{by: "harpreet_kaur", text: "Involve OTs early. Where a sensor goes depends on how someone actually uses their home."},
			{by: "chloe_bennett", to: 2, text: "Great point, thank you. We will."},
		}},
	{root: note{by: "abigail_osei",
		text: "Looking for ideas: dementia-friendly changes to a care home dining room that made a real difference? #dementia #carehomes"},
		replies: []reply{
			{by: "olumide_adebayo", text: "Contrasting plates and tablecloths. Simple and effective."},
			{by: "joanne_whittaker", text: "Calmer mealtimes: radio and TV off, smaller tables."},
			{by: "lucy_fairweather", text: "We started serving at the table so people can see and smell the choices. Appetites improved."},
			{by: "abigail_osei", text: "These are brilliant, thank you. Trying the plates first."},
		}},
	{root: note{by: "mei_chen",
		text: "Shared Lives carers and coordinators: what makes a great match? #sharedlives"},
		replies: []reply{
			{by: "patrick_doyle", text: "Shared interests help, but honestly it's whether you laugh at the same things."},
			{by: "mei_chen", to: 1, text: "Humour is so underrated in matching!"},
			{by: "yusuf_patel", text: "Involving the person in choosing, properly, from the very start. #coproduction"},
		}},
	{root: note{by: "jamal_ahmed",
		text: "Council comms colleagues: how do you explain charging for care in plain English without it sounding frightening? #plainenglish"},
		replies: []reply{
			{by: "eleanor_vance", text: "We tested ours with a readers' panel. The biggest change: lead with 'most people pay something, many pay nothing', then the detail."},
			{by: "westshire_cc", text: "Our new guide is here, if it helps: https://example.org/guides/charging-plain-english"},
			{by: "daniel_cohen", text: "Worked examples help a lot. Realistic numbers, never real people."},
			{by: "jamal_ahmed", text: "Thank you, this is gold."},
		}},
	{root: note{by: memberKey,
		text: "A question I was asked this week: is it ever OK to post about someone you support online, if you change the details? I said I'd check with people here. #confidentiality"},
		replies: []reply{
			{by: "ruth_goldberg", text: "Short answer: no. Changing details rarely makes someone unidentifiable to the people who know them, and it isn't our story to tell."},
			{by: "winston_clarke", text: "Agree with Ruth. Talk about themes and learning, never about individual situations."},
			{by: "grace_okonkwo", text: "A useful test: if the person read your post, would they recognise themselves? Then don't post it."},
			{by: memberKey, to: 1, text: "Thank you, that's really clear. Passing it on."},
			{by: adminKey, text: "Good question, and a good reminder for everyone. Our community rules say the same: nothing about people who use services, ever."},
		}},
	{root: note{by: "gavin_rowe",
		text: "How are you keeping new care workers past the first three months? Our biggest drop-off is in weeks six to ten. #workforce"},
		replies: []reply{
			{by: "katie_marsh", text: "Buddying. I still remember the senior carer who showed me the ropes: someone to ring who isn't your manager."},
			{by: "lucy_fairweather", text: "Regular check-ins, and not giving new starters the hardest shifts straight away."},
			{by: "tariq_malik", text: "Guaranteed hours. Zero-hours contracts lose people fast."},
			{by: "femi_adeyemi", text: "Speaking as someone new: feeling useful and being thanked. Sounds small, isn't."},
			{by: "gavin_rowe", to: 4, text: "That's a powerful point. Thank you for sharing it."},
		}},
	{root: note{by: conferenceKey, when: wBuildUp,
		text: "Which session are you most looking forward to at #adassspring?"},
		replies: []reply{
			{by: "simon_pryce", text: "The reablement workshop, obviously! #reablement"},
			{by: "chloe_bennett", text: "Technology enabled care on Day 2. Hoping for honest stories, not sales pitches."},
			{by: "nkechi_eze", text: "The meetup for newly qualified social workers. My first conference!"},
			{by: conferenceKey, to: 3, text: "Welcome! Look out for the green lanyards: they're our friendly guides."},
		}},
	{root: note{by: "helen_sutcliffe", when: wAfter,
		text: "Back from #adassspring. Three things I'm bringing home: home first as the default, co-production as standard, and investing in our workforce. #socialcare"},
		replies: []reply{
			{by: "priya_sharma", text: "Let's start with the first one at practice week."},
			{by: "andrew_nolan", text: "And the commissioning plan is where we make it stick."},
			{by: "kwame_mensah", text: "Good to see you there, Helen. The same three are on my list."},
		}},
	{root: note{by: "ross_mcallister", when: wRecent,
		text: "Proud moment: our supported living team has won the regional care award for inclusive practice! #supportedliving"},
		replies: []reply{
			{by: "femi_adeyemi", text: "Best team!"},
			{by: sectorBodyKey, text: "Congratulations to you all!"},
			{by: "deborah_ashworth", text: "Well deserved. Congratulations!"},
		}},
}
