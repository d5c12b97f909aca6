// client.mjs drives a Starling server through masto.js, the Mastodon
// client library for JavaScript, unmodified, the way an app would: it makes
// the calls a plan names and prints, as one JSON object on stdout, what the
// library handed back. It asserts nothing; mastodon/mastojs_test.go does.
//
// The plan is JSON, from the first argument or else stdin:
//
//	{
//	  "url": "http://127.0.0.1:port",
//	  "viewerToken": "…",        // the member whose view is tested
//	  "strangerToken": "…",      // someone the viewer does not follow
//	  "search": {"accounts": "q", "hashtags": "q", "statuses": "q"},
//	  "followTags": ["TagA", "TagB"], // followed in this order
//	  "strangerPost": "text with #TagA",
//	  "unfollowTag": "TagB"
//	}
//
// On failure it prints the step and masto's error on stderr and exits 1.
//
// Keys come back as masto gives them: camelCase (masto rewrites the
// server's snake_case), which is what apps built on masto read.
import { readFileSync } from "node:fs";
import { createRestAPIClient } from "masto";

const plan = JSON.parse(process.argv[2] ?? readFileSync(0, "utf8"));
const client = (accessToken) =>
  createRestAPIClient({ url: plan.url, accessToken, timeout: 10_000 });
const anonymous = client(undefined);
const viewer = client(plan.viewerToken);
const stranger = client(plan.strangerToken);

const out = {};
let step = "start";
// run records what one call returned under name.
const run = async (name, call) => {
  step = name;
  out[name] = await call();
};

try {
  // Trends are public: read them signed out, as a logged-out explore page does.
  await run("trendTags", () => anonymous.v1.trends.tags.list({ limit: 10 }));
  await run("trendStatuses", () => anonymous.v1.trends.statuses.list());
  await run("trendLinks", () => anonymous.v1.trends.links.list());

  await run("directoryActive", () =>
    viewer.v1.directory.list({ local: true, order: "active" }),
  );
  await run("directoryNew", () =>
    viewer.v1.directory.list({ local: true, order: "new" }),
  );

  await run("suggestions", () => viewer.v2.suggestions.list({ limit: 40 }));

  for (const type of ["accounts", "hashtags", "statuses"]) {
    const key = "search" + type[0].toUpperCase() + type.slice(1);
    await run(key, () => viewer.v2.search.list({ q: plan.search[type], type }));
  }

  out.follow = [];
  for (const name of plan.followTags) {
    step = "follow " + name;
    out.follow.push(await viewer.v1.tags.$select(name).follow());
  }

  // One tag a page, so masto follows the Link header from page to page.
  // The cap stops a server that always says "next" looping forever.
  step = "followedTags";
  out.followedTagPages = [];
  for await (const page of viewer.v1.followedTags.list({ limit: 1 })) {
    out.followedTagPages.push(page);
    if (out.followedTagPages.length >= 10) break;
  }

  await run("strangerPost", () =>
    stranger.v1.statuses.create({ status: plan.strangerPost }),
  );

  out.tagInfo = [];
  for (const name of plan.followTags) {
    step = "fetch tag " + name;
    out.tagInfo.push(await viewer.v1.tags.$select(name).fetch());
  }

  await run("home", () => viewer.v1.timelines.home.list({ limit: 40 }));

  await run("unfollow", () =>
    viewer.v1.tags.$select(plan.unfollowTag).unfollow(),
  );
  await run("tagInfoAfterUnfollow", () =>
    viewer.v1.tags.$select(plan.unfollowTag).fetch(),
  );
  await run("homeAfterUnfollow", () =>
    viewer.v1.timelines.home.list({ limit: 40 }),
  );
} catch (error) {
  const detail = {
    step,
    name: error?.name,
    message: error?.message,
    statusCode: error?.statusCode,
    description: error?.description,
    cause: error?.cause ? String(error.cause) : undefined,
  };
  process.stderr.write(JSON.stringify(detail) + "\n");
  process.exit(1);
}

process.stdout.write(JSON.stringify(out) + "\n");
