"""A dose as clinicians write it ("3 sets of 10, hold 5 s, twice a day") read into its parts.

The parts are the content format's (sets, reps, hold, rest, frequency, side); each part's
value is kept as typed ("5 s", "twice a day"), so the handout prints the clinician's words.
A part this reader does not know is an error naming it, never a guess: a wrong dose on a
handout is worse than none.
"""

from __future__ import annotations

import re

_NUMBER = r"\d+(?:\s*[-–]\s*\d+)?"
_SETS = r"(?:sets?|series|séries|serien|sätze|satz)"
_REPS = r"(?:reps?|repetitions?|repeticiones|répétitions|wiederholungen|times|veces|fois|mal)"
_PER = r"(?:a|per|each|every|al|a la|por|par|pro|am|in der)"
_PERIOD = r"(?:day|week|hour|día|semana|hora|jour|semaine|heure|tag|woche|stunde)"
_EACH = (r"(?:(?:on\s+)?(?:each|per|every)\s+(?:side|leg|arm|way|foot|hand)|por lado|de chaque côté|"
         r"pro seite)")

#: (part or parts, pattern): tried in order on each comma- or semicolon-separated piece.
_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple((parts, re.compile(pattern, re.IGNORECASE))
                                                                         for parts, pattern in (
    (("sets", "reps"), rf"^(\d+)\s*[x×]\s*({_NUMBER}(?:\s*{_REPS})?(?:\s+{_EACH})?)$"),
    (("sets", "reps"), rf"^(\d+)\s*{_SETS}\s+(?:of|de|à|mit|x)\s+({_NUMBER}(?:\s*{_REPS})?(?:\s+{_EACH})?)$"),
    (("sets",), rf"^(\d+)\s*{_SETS}$"),
    (("frequency",), rf"^((?:once|twice|three times|\d+\s*(?:x|times|veces|fois|mal)|una vez|dos veces|"
                     rf"une fois|deux fois|einmal|zweimal)\s+{_PER}\s+{_PERIOD}|daily|every day|every other day|"
                     rf"(?:once|twice|\d+\s*times)\s+(?:daily|weekly)|"
                     rf"weekly|every \d+ hours?|every hour|a diario|cada día|todos los días|tous les jours|"
                     rf"chaque jour|täglich|jeden tag)$"),
    (("reps",), rf"^({_NUMBER}(?:\s*{_REPS})?(?:\s+{_EACH})?)$"),
    (("reps",), rf"^(?:repeat|repetir|répéter|wiederholen)\s+({_NUMBER}(?:\s*{_REPS})?)$"),
    (("hold",), r"^(?:hold|mantener|mantén|tenir|maintenir|halten)(?:\s+(?:for|durante|pendant|für))?\s+(.+)$"),
    (("rest",), r"^(?:rest|descanso|descansa|repos|pause)(?:\s+(?:for|durante|pendant|für))?\s+(.+)$"),
    (("side",), rf"^({_EACH}|both sides|both|left|right|alternating|alternate sides|"
                r"ambos lados|cada lado|alternando|des deux côtés|chaque côté|en alternance|beide seiten|"
                r"jede seite|abwechselnd|links|rechts)$"),
))

#: How the message says a dose should be written.
EXAMPLE = "3 sets of 10, hold 5 s, rest 30 s, twice a day, each side"


_REPS_WORD = re.compile(rf"\s*\b{_REPS}\b", re.IGNORECASE)


def parse_dose(text: str) -> dict[str, int | str]:
    """The dose parts in *text*, by name, values as typed (a whole number as a number):
    ``"3 x 10, hold 5 s"`` -> ``{"sets": 3, "reps": 10, "hold": "5 s"}``.

    Raises ValueError naming the first piece it cannot read, or a part given twice.
    """
    parts: dict[str, str] = {}
    for piece in (p.strip().rstrip(".") for p in re.split(r"[,;]", text)):
        if not piece:
            continue
        found = next(((names, m) for names, pattern in _PATTERNS if (m := pattern.match(piece))), None)
        if found is None:
            raise ValueError(f"cannot read '{piece}'; write it like '{EXAMPLE}'")
        for name, value in zip(found[0], found[1].groups()):
            if name in parts:
                raise ValueError(f"gives the {name} twice ('{parts[name]}' and '{value}')")
            if name == "reps":  # "10 reps" is printed under "Reps": the number, and "each side" if said
                value = _REPS_WORD.sub("", value)
            parts[name] = " ".join(value.split())
    if not parts:
        raise ValueError(f"is empty; write it like '{EXAMPLE}'")
    return {name: int(value) if value.isdigit() else value for name, value in parts.items()}
