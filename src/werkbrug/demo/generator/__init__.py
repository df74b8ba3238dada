"""`manage.py generate_network --scale {tiny,small,full}`: a synthetic network for the benchmarks.

Full scale is DESIGN §6's Flanders-sized network: 1,000 organisations, 5,000 users, 200,000
clients, 300,000 trajectories, about 3,000,000 contacts. Going through the actions would take
hours, so the rows are written directly in batches (executemany of one INSERT on SQLite, COPY on
PostgreSQL), but with exactly the invariants the actions produce:

- registering a client: Involvement(registered) + an active `record` consent for that organisation;
- a referral: Involvement(referrer) and Involvement(line), an active `collaboration` consent for
  the line's organisation (only if none is active yet, like `ensure_consent`), ReferralEvents for
  every triage step (submitted, redirected, waitlisted, to the case team, assigned, accepted,
  declined) with the status fields `move_to()` sets;
- accepting a referral: a trajectory led by the line's organisation with the assigned coach,
  Involvement(lead), the referring organisation as partner (care partner in the background) with
  Involvement(partner), a `started` event;
- contacts: `first_contact_on`/`last_contact_on` are the min/max contact date, outreach attempts
  and care notes excluded, as `record_contact()` keeps them; care notes only by care partners; closing for lost
  contact only after three outreach attempts in the 60 days before;
- handovers: proposed (Involvement(handover) + consent) or accepted (new lead, coach and type,
  Involvement(lead), the former lead as partner);
- coaches with a membership, FTE and capacity; most carry 20-40 active dossiers.

Everything is dated within the last five years. Users share one password (printed at the end).

Modules: `config` (scales, mixes, texts), `network` (organisations, users, lines through the ORM),
`planner` (how many trajectories each client has, and when), `rows`, `trajectories`, `clients`
(the rows of one client), `writer` (COPY / executemany), `run` (all of it, batch by batch).
"""
