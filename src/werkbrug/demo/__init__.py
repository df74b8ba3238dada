"""The demo network (`manage.py load_demo`) and the synthetic Flanders-scale network for the
benchmarks (`manage.py generate_network`). No models of its own: both write through the other apps.

- `load`: the entry point, `load_demo()`; `network`: organisations, users, referral lines and the
  logins (`DEMO_PASSWORD`); `clock`: back-dating the rows each step writes; `steps`: one action on a
  past day each; `pathway`, `exchange`, `teams`: the stories told with those steps.
- `generator`: the synthetic network, written in batches with the invariants of the actions.
"""
