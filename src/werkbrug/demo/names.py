"""Fictional Flemish names, shared by the demo network and the synthetic generator."""

from __future__ import annotations

FIRST_NAMES_F = [
    "Amber", "Bieke", "Charlotte", "Dorien", "Eline", "Fien", "Greet", "Hanne", "Ines", "Joke",
    "Katrien", "Lotte", "Marieke", "Nele", "Sara", "Tine", "Veerle", "Yasmina", "Zoë", "Leen",
]  # fmt: skip
FIRST_NAMES_M = [
    "Arne", "Bart", "Cedric", "Dries", "Emiel", "Frederik", "Gert", "Hamza", "Jonas", "Kristof",
    "Lander", "Mathias", "Nico", "Olivier", "Pieter-Jan", "Ruben", "Stijn", "Thijs", "Wout", "Yannick",
]  # fmt: skip
LAST_NAMES = [
    "Aerts", "Baeten", "Cools", "De Backer", "De Wilde", "Dierckx", "Engelen", "Geens", "Goossens",
    "Hendrickx", "Huybrechts", "Lambrechts", "Leysen", "Michiels", "Moens", "Nijs", "Op de Beeck",
    "Roels", "Segers", "Smolders", "Stevens", "Thys", "Van Dyck", "Van Hove", "Verbist", "Verlinden",
    "Wuyts", "Van Looy", "Schoofs", "Bosmans",
]  # fmt: skip
