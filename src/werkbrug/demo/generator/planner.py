"""Planning the generated clients: who gets how many trajectories (the exact total of the scale,
the share still open), and when each referral, decision and trajectory falls in the window."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from werkbrug.demo.generator.config import OPEN_SHARE, Scale


@dataclass
class Episode:
    """One referral and (if accepted) its trajectory, in days since the window start."""

    kind: str  # "trajectory", "declined", "open_referral"
    referral_day: int
    start: int = 0
    end: int | None = None  # None: still open (or no trajectory)
    open_status: str = ""  # for open referrals: submitted / waiting / case_team / assigned


class Planner:
    def __init__(self, scale: Scale, rng: random.Random, horizon: int) -> None:
        self.scale, self.rng, self.today = scale, rng, horizon

    def counts(self) -> list[tuple[int, bool, str]]:
        """Per client: (number of trajectories, last one open?, extra: '', 'declined', 'open_referral')."""
        rng, n = self.rng, self.scale.clients
        plan: list[list[Any]] = []
        for _ in range(n):
            r = rng.random()
            if r < 0.03:
                plan.append([0, False, ""])  # registered only
            elif r < 0.07:
                plan.append([1 if rng.random() < 0.3 else 0, False, "open_referral"])
            elif r < 0.12:
                plan.append([0, False, "declined"])
            else:
                k = rng.choices([1, 2, 3, 4, 5], [55, 27, 12, 4, 2])[0]
                plan.append([k, False, "declined" if rng.random() < 0.08 else ""])
        # Adjust to the exact number of trajectories.
        target = self.scale.trajectories
        holders = [p for p in plan if p[0] > 0 and p[2] != "open_referral"]
        total = sum(p[0] for p in plan)
        while total != target:
            p = rng.choice(holders)
            if total < target:
                p[0] += 1
                total += 1
            elif p[0] > 1:
                p[0] -= 1
                total -= 1
        # Which clients' last trajectory is still open.
        open_needed = round(target * OPEN_SHARE)
        rng.shuffle(holders)
        for p in holders[:open_needed]:
            p[1] = True
        return [(p[0], p[1], p[2]) for p in plan]

    def timeline(self, n_traj: int, last_open: bool, extra: str) -> tuple[int, list[Episode]]:
        """Registration day and episodes, all within [0, today]."""
        rng, today = self.rng, self.today
        kinds = ["trajectory"] * n_traj
        if extra == "declined":
            # Never after an open trajectory: it stays the last episode.
            kinds.insert(rng.randrange(len(kinds) + (0 if last_open else 1)) if kinds else 0, "declined")
        if extra == "open_referral":
            kinds.append("open_referral")
        if not kinds:
            return rng.randrange(today + 1), []
        # Durations in days: wait before the decision, trajectory length, gap to the next referral.
        segments = []
        for i, kind in enumerate(kinds):
            last = i == len(kinds) - 1
            wait = rng.randint(3, 75) if kind == "trajectory" else rng.randint(2, 30)
            if kind == "trajectory" and not (last and last_open):
                length = int(rng.lognormvariate(5.6, 0.6)) + 30  # median ~300 days
            else:
                length = 0
            gap = 0 if last else rng.randint(14, 240)
            segments.append([wait, length, gap])
        span = sum(sum(s) for s in segments)
        # Where the last episode sits: open things are recent.
        if kinds[-1] == "open_referral":
            tail = rng.randint(0, 90)
            end = today - tail
            span -= segments[-1][0]  # the open referral has no decision yet
        elif last_open:
            end = today - min(int(rng.expovariate(1 / 260)), today // 2)
        else:
            end = today - 1 - rng.randrange(max(1, today - span - 30)) if span + 30 < today else today - 1
        available = end - 30
        if span > available:
            factor = available / span
            for s in segments:
                s[0] = max(1, int(s[0] * factor))
                s[1] = int(s[1] * factor)
                s[2] = int(s[2] * factor)
            span = sum(sum(s) for s in segments) - (segments[-1][0] if kinds[-1] == "open_referral" else 0)
        day = max(0, end - span)
        episodes = []
        for kind, (wait, length, gap) in zip(kinds, segments, strict=True):
            episode = Episode(kind, referral_day=day)
            if kind == "trajectory":
                episode.start = min(day + wait, today)
                episode.end = episode.start + length
                day = (episode.end if episode.end is not None else episode.start) + gap
            elif kind == "declined":
                episode.end = min(day + wait, today)
                day = episode.end + gap
            else:
                episode.open_status = rng.choices(
                    ["submitted", "waiting", "case_team", "assigned"], [30, 45, 10, 15]
                )[0]
            episodes.append(episode)
        # The last trajectory of a client whose history is open has no end.
        if last_open and episodes and episodes[-1].kind == "trajectory":
            episodes[-1].end = None
        registration = max(0, episodes[0].referral_day - rng.randint(0, 30))
        return registration, episodes
