package demo

// group is the kind of work an account does. Follows and the choice of
// authors for posts anyone in a group might write both go by it.
type group uint16

const (
	gOrg           group = 1 << iota // organisation and conference accounts
	gLeader                          // directors and assistant directors
	gSocialWork                      // social workers, safeguarding, advocacy, practice education
	gOT                              // occupational therapists
	gProvider                        // care homes, home care, supported living
	gCarers                          // carers' services, Shared Lives, dementia support
	gCommissioning                   // commissioning, reablement, discharge, technology
	gComms                           // council communications
	gWorkforce                       // workforce development, research, co-production
	gAdmin                           // the server's administrator

	gPeople = gLeader | gSocialWork | gOT | gProvider | gCarers | gCommissioning | gComms | gWorkforce
)

// person is one demo account. Every name, organisation and story is
// invented; the e-mail address is key@EmailDomain.
type person struct {
	key    string // the username asked for, and the local part of the e-mail address
	name   string // display name, at most 30 characters
	role   string
	org    string
	region string
	group  group
	bio    string
	locked bool // follows need approval, so some requests stay pending
}

// Keys of the accounts the seeding treats specially.
const (
	adminKey      = "admin"
	memberKey     = "alex_morgan"
	sectorBodyKey = "careleaders"
	conferenceKey = "spring_seminar"
)

// ListTitle is the title of the list the sector body keeps.
const ListTitle = "People in social care worth following"

// listMembers are the accounts on the sector body's list.
var listMembers = []string{
	"helen_sutcliffe", "kwame_mensah", "priya_sharma", "grace_okonkwo", "megan_lloyd",
	"olumide_adebayo", "simon_pryce", "sunita_gill", "nadia_kowalski", "lucy_fairweather", "chloe_bennett",
}

// people lists the community in the order accounts are created: the admin
// first, so that an interrupted run is always recognised as demo data.
var people = []person{
	{key: adminKey, name: "Community Admin", role: "Server administrator", org: "Starling demo", region: "England", group: gAdmin,
		bio: "I look after this demo server. Questions about the community rules? Mention me. This is a training community: please never post anything that could identify a person who draws on care and support."},
	{key: memberKey, name: "Alex Morgan", role: "Social Worker", org: "Westshire County Council", region: "South West", group: gSocialWork,
		bio: "Social worker in a community team in Westshire. Interested in strengths-based practice, good conversations and making paperwork less painful. Views my own."},
	{key: sectorBodyKey, name: "Association of Care Leaders", role: "Sector body", org: "Association of Care Leaders", region: "England", group: gOrg,
		bio: "The professional association for leaders in adult social care. News, consultations, events and good practice from across England. Run by our communications team."},
	{key: conferenceKey, name: "Care Leaders Spring Seminar", role: "Conference", org: "Association of Care Leaders", region: "England", group: gOrg,
		bio: "Two days of keynotes, workshops and conversations for people working in adult social care. Follow #adassspring for live updates from the main hall and the breakout rooms."},
	{key: "westshire_cc", name: "Westshire County Council", role: "Council communications team", org: "Westshire County Council", region: "South West", group: gOrg,
		bio: "Adult social care and health news from Westshire County Council's communications team. Monitored 9am to 5pm, Monday to Friday. Please don't share personal details here: contact us through our website instead."},
	{key: "hearthside_carers", name: "Hearthside Carers' Network", role: "Carers' charity", org: "Hearthside Carers' Network", region: "North West", group: gOrg | gCarers,
		bio: "Supporting unpaid carers across the North West: advice line, carers' cafés, breaks and peer support. If you look after someone, you're a carer, and we're here for you."},
	{key: "brightwater_care", name: "Brightwater Home Care", role: "Home care provider", org: "Brightwater Home Care", region: "East of England", group: gOrg | gProvider,
		bio: "Family-run home care in Eastmarch since 2009. Care at home, at the times that suit you, from a team that stays. We're recruiting!"},

	{key: "helen_sutcliffe", name: "Helen Sutcliffe", role: "Director of Adult Social Services", org: "Westshire County Council", region: "South West", group: gLeader,
		bio: "Director of Adult Social Services in Westshire. Started out as a home care worker, still think it's the most important job in the system. Walker, reader, terrible gardener."},
	{key: "kwame_mensah", name: "Kwame Mensah", role: "Director of Adult Social Services", org: "City of Aldermoor Council", region: "Yorkshire and the Humber", group: gLeader,
		bio: "DASS in Aldermoor. Social worker by background. Passionate about prevention, co-production and a workforce that is paid and valued properly."},
	{key: "fiona_macleod", name: "Fiona MacLeod", role: "Director of Adult Social Services", org: "Downland County Council", region: "South East", group: gLeader,
		bio: "Director of Adult Social Services, Downland. Interested in what keeps people well at home, and in budgets that let us do more of it."},
	{key: "imran_qureshi", name: "Imran Qureshi", role: "Director of Adult Social Care and Health", org: "Mercia Heath County Council", region: "West Midlands", group: gLeader,
		bio: "Leading adult social care and public health in Mercia Heath. Integration, neighbourhood teams, and the occasional cricket opinion."},
	{key: "deborah_ashworth", name: "Deborah Ashworth", role: "Assistant Director, Adult Social Care", org: "Brackenfield Borough Council", region: "North West", group: gLeader,
		bio: "Assistant Director for operations in Brackenfield. Occupational therapist once, always. Here for practice, people and progress."},
	{key: "daniel_cohen", name: "Daniel Cohen", role: "Assistant Director, Commissioning", org: "London Borough of Fernhill", region: "London", group: gLeader | gCommissioning,
		bio: "Commissioning adult social care in Fernhill. Outcomes over outputs, relationships over contracts."},

	{key: "priya_sharma", name: "Priya Sharma", role: "Principal Social Worker", org: "Westshire County Council", region: "South West", group: gSocialWork,
		bio: "Principal Social Worker for adults in Westshire. Strengths-based practice, reflective supervision and supporting newly qualified colleagues."},
	{key: "gareth_hughes", name: "Gareth Hughes", role: "Principal Social Worker", org: "Trentshire County Council", region: "East Midlands", group: gSocialWork,
		bio: "PSW in Trentshire. Supervision is where good practice lives. Welsh by birth, East Midlands by choice."},
	{key: "grace_okonkwo", name: "Grace Okonkwo", role: "Principal Social Worker", org: "London Borough of Fernhill", region: "London", group: gSocialWork,
		bio: "Principal Social Worker, adults, in Fernhill. Professional curiosity, anti-racist practice, and always asking the second question."},
	{key: "siobhan_oneill", name: "Siobhan O'Neill", role: "Social Worker", org: "City of Aldermoor Council", region: "Yorkshire and the Humber", group: gSocialWork,
		bio: "Community social worker in Aldermoor. Writing assessments people recognise themselves in."},
	{key: "tomasz_nowak", name: "Tomasz Nowak", role: "Senior Practitioner", org: "Brackenfield Borough Council", region: "North West", group: gSocialWork,
		bio: "Senior practitioner in a hospital social work team. Mapping pathways, removing handoffs, drinking too much coffee."},
	{key: "zainab_hussain", name: "Zainab Hussain", role: "Social Worker, Hospital Team", org: "Mercia Heath County Council", region: "West Midlands", group: gSocialWork,
		bio: "Hospital social worker. Home is where most people want to be, so that's where we start."},
	{key: "ewan_campbell", name: "Ewan Campbell", role: "Approved Mental Health Professional", org: "Tynebridge City Council", region: "North East", group: gSocialWork, locked: true,
		bio: "AMHP and mental health social worker. Locked account: I accept follow requests from people working in the sector."},
	{key: "ruth_goldberg", name: "Ruth Goldberg", role: "Safeguarding Adults Lead", org: "Downland County Council", region: "South East", group: gSocialWork,
		bio: "Safeguarding adults lead. Making safeguarding personal, one conversation at a time."},
	{key: "winston_clarke", name: "Winston Clarke", role: "Independent Advocate", org: "Fernhill Advocacy Partnership", region: "London", group: gSocialWork,
		bio: "Care Act and mental capacity advocate. Making sure people are heard in decisions about their own lives."},
	{key: "nkechi_eze", name: "Nkechi Eze", role: "Social Worker (ASYE)", org: "Eastmarch County Council", region: "East of England", group: gSocialWork,
		bio: "Newly qualified social worker in my assessed and supported year. Learning something every day."},
	{key: "sophie_latham", name: "Sophie Latham", role: "Practice Educator", org: "Eastmarch County Council", region: "East of England", group: gSocialWork | gWorkforce,
		bio: "Practice educator and ASYE assessor. Feedback that helps people grow, and good biscuits at supervision."},

	{key: "megan_lloyd", name: "Megan Lloyd", role: "Occupational Therapist", org: "Westshire County Council", region: "South West", group: gOT,
		bio: "Community OT in Westshire. Small bits of kit, big differences. Advocate for timely adaptations."},
	{key: "olumide_adebayo", name: "Olumide Adebayo", role: "Principal Occupational Therapist", org: "City of Aldermoor Council", region: "Yorkshire and the Humber", group: gOT,
		bio: "Principal OT in Aldermoor. Trusted assessors, shorter waits, and making occupational therapy visible."},
	{key: "harpreet_kaur", name: "Harpreet Kaur", role: "Occupational Therapist", org: "Mercia Heath Community NHS Trust", region: "West Midlands", group: gOT,
		bio: "OT in an integrated community team. Moving and handling, equipment and getting people home."},
	{key: "rhiannon_price", name: "Rhiannon Price", role: "Occupational Therapist, Reablement", org: "Eastmarch County Council", region: "East of England", group: gOT | gCommissioning,
		bio: "Reablement OT. Every goal counts, especially the ones involving tea."},

	{key: "lucy_fairweather", name: "Lucy Fairweather", role: "Registered Care Home Manager", org: "Maple Court Care Home", region: "South West", group: gProvider,
		bio: "Registered manager of a 40-bed residential home. Proud of my team, our garden and our Friday quiz."},
	{key: "tariq_malik", name: "Tariq Malik", role: "Registered Manager, Home Care", org: "Brightwater Home Care", region: "East of England", group: gProvider,
		bio: "Registered manager at Brightwater Home Care. Rotas, recruitment and reminding everyone to take their breaks."},
	{key: "abigail_osei", name: "Abigail Osei", role: "Registered Care Home Manager", org: "Oakhaven Nursing Home", region: "London", group: gProvider,
		bio: "Nurse and registered manager of a nursing home in Fernhill. Dementia-friendly care and a well-supported team."},
	{key: "ross_mcallister", name: "Ross McAllister", role: "Registered Manager, Supported Living", org: "Hollybank Supported Living", region: "North East", group: gProvider,
		bio: "Supported living for people with learning disabilities and autistic people. Ordinary lives, real choices."},
	{key: "katie_marsh", name: "Katie Marsh", role: "Senior Care Worker", org: "Brightwater Home Care", region: "East of England", group: gProvider,
		bio: "Senior carer, twelve years in home care and counting. Mentor to new starters."},
	{key: "femi_adeyemi", name: "Femi Adeyemi", role: "Support Worker", org: "Hollybank Supported Living", region: "North East", group: gProvider,
		bio: "Support worker, new to care and loving it. Working towards my Level 3."},

	{key: "sunita_gill", name: "Sunita Gill", role: "Carers' Centre Coordinator", org: "Hearthside Carers' Network", region: "North West", group: gCarers,
		bio: "Coordinating carers' support in Brackenfield: cafés, breaks and a lot of listening."},
	{key: "bethany_hall", name: "Bethany Hall", role: "Carers' Centre Coordinator", org: "Westshire Carers' Hub", region: "South West", group: gCarers,
		bio: "Running the Westshire Carers' Hub. Carer myself for many years. Making sure carers know their rights."},
	{key: "patrick_doyle", name: "Patrick Doyle", role: "Shared Lives Carer", org: "Westshire Shared Lives", region: "South West", group: gCarers, locked: true,
		bio: "Shared Lives carer for ten years. Family life with a bit more paperwork. Locked account, but say hello and I'll let you in."},
	{key: "mei_chen", name: "Mei Chen", role: "Shared Lives Coordinator", org: "Aldermoor Shared Lives", region: "Yorkshire and the Humber", group: gCarers,
		bio: "Matching Shared Lives carers with people who want to live as part of a family. Slow matching, lasting arrangements."},
	{key: "joanne_whittaker", name: "Joanne Whittaker", role: "Dementia Support Worker", org: "Bluebell Dementia Support", region: "North West", group: gCarers,
		bio: "Dementia support worker and café organiser. Music, memories and practical help for families."},

	{key: "andrew_nolan", name: "Andrew Nolan", role: "Commissioning Manager", org: "Westshire County Council", region: "South West", group: gCommissioning,
		bio: "Commissioning manager for community services in Westshire. Working with providers, not just buying from them."},
	{key: "parveen_akhtar", name: "Parveen Akhtar", role: "Commissioner, Home Care", org: "Mercia Heath County Council", region: "West Midlands", group: gCommissioning,
		bio: "Home care commissioner. Zones, continuity of care and fair rates."},
	{key: "simon_pryce", name: "Simon Pryce", role: "Reablement Lead", org: "Trentshire County Council", region: "East Midlands", group: gCommissioning,
		bio: "Leading reablement in Trentshire. Helping people get back to doing what matters to them."},
	{key: "aisha_rahman", name: "Aisha Rahman", role: "Reablement Lead", org: "Brackenfield Borough Council", region: "North West", group: gCommissioning,
		bio: "Reablement lead in Brackenfield, with a special interest in reablement for people living with dementia."},
	{key: "callum_fraser", name: "Callum Fraser", role: "Hospital Discharge Lead", org: "Aldermoor Teaching Hospitals", region: "Yorkshire and the Humber", group: gCommissioning,
		bio: "Leading the integrated discharge hub at Aldermoor Teaching Hospitals NHS Foundation Trust. Home first, every time we can."},
	{key: "chloe_bennett", name: "Chloe Bennett", role: "Technology Enabled Care Lead", org: "Downland County Council", region: "South East", group: gCommissioning,
		bio: "Technology enabled care lead. Start with the person, then find the tech, never the other way round."},

	{key: "jamal_ahmed", name: "Jamal Ahmed", role: "Council Comms Officer", org: "Westshire County Council", region: "South West", group: gComms,
		bio: "Communications officer for adult social care and health at Westshire. Plain English enthusiast."},
	{key: "eleanor_vance", name: "Eleanor Vance", role: "Communications Manager, Adults", org: "City of Aldermoor Council", region: "Yorkshire and the Humber", group: gComms,
		bio: "Communications manager for adult services in Aldermoor. Websites people can actually use."},

	{key: "gavin_rowe", name: "Gavin Rowe", role: "Workforce Development Lead", org: "Trentshire County Council", region: "East Midlands", group: gWorkforce,
		bio: "Workforce development for adult social care in Trentshire. Recruitment, retention, and a care academy I'm very proud of."},
	{key: "nadia_kowalski", name: "Dr Nadia Kowalski", role: "Social Care Researcher", org: "University of Aldermoor", region: "Yorkshire and the Humber", group: gWorkforce,
		bio: "Researcher in adult social care practice. Strengths-based conversations, technology and evidence people can use. Open access whenever possible."},
	{key: "yusuf_patel", name: "Yusuf Patel", role: "Co-production Lead", org: "Mercia Heath County Council", region: "West Midlands", group: gWorkforce,
		bio: "Co-production lead, working with people who draw on care and carers to design services together. Sharing power, not just consulting."},
}
