"""Demo data for `make run` and synthetic histories at force scale (`manage.py seed_demo`).

The top of the layer graph: it builds its data through the other apps' services and models,
and nothing below imports it.
- core: users (one per role), organisations, people and offences;
- cases: demo cases in every workflow status (cautions);
- caseloads: each demo caseworker's referrals (referrals);
- historic: historic imported cases and reoffence records for the dashboard (reporting);
- synthetic: histories for N people in bulk (`seed_demo --people N`).
"""
