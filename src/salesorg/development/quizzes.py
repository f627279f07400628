"""The quiz of a training material: its text format (for the edit form) and its scoring."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.development.models import QuizQuestion


@dataclass(frozen=True)
class QuizResult:
    """The outcome of one quiz attempt: questions right, score in whole percent, pass."""

    correct: int
    total: int
    score: int
    passed: bool


def quiz_score(*, questions: list[QuizQuestion], answers: dict[int, list[int]]) -> QuizResult:
    """Score answers server-side: a question counts when exactly its correct options are
    chosen; the quiz is passed when the share right reaches the material's pass mark."""
    total = len(questions)
    if total == 0:
        return QuizResult(correct=0, total=0, score=100, passed=True)
    correct = 0
    for question in questions:
        expected = {option.id for option in question.options.all() if option.is_correct}
        chosen = {int(option_id) for option_id in answers.get(question.id, []) or []}
        if chosen == expected:
            correct += 1
    pass_mark = questions[0].material.pass_mark
    # Compare in whole numbers so that 4 of 5 at an 80 % mark passes exactly.
    return QuizResult(
        correct=correct,
        total=total,
        score=correct * 100 // total,
        passed=correct * 100 >= pass_mark * total,
    )


QUIZ_HELP = gettext_lazy(
    "One question per block: a line starting with '?' is the question, '*' a correct "
    "option, '-' a wrong one."
)


def quiz_parse(text: str) -> list[dict]:
    """Read the quiz text format into [{"text": ..., "options": [{"text", "is_correct"}]}]."""
    questions: list[dict] = []
    problems = Problems()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        marker, content = line[0], line[1:].strip()
        if marker == "?" and content:
            questions.append({"text": content, "options": []})
        elif marker in "*-" and content and questions:
            questions[-1]["options"].append({"text": content, "is_correct": marker == "*"})
        else:
            problems.add(
                "quiz",
                _("Line %(number)d: start with '?', '*' or '-' (a question first).")
                % {"number": number},
            )
    problems.raise_if_any()
    return questions


def quiz_as_text(*, questions: list[QuizQuestion]) -> str:
    """The quiz in the text format of `quiz_parse` (for the edit form)."""
    lines: list[str] = []
    for question in questions:
        lines.append(f"? {question.text}")
        lines += [f"{'*' if o.is_correct else '-'} {o.text}" for o in question.options.all()]
        lines.append("")
    return "\n".join(lines).strip()


def quiz_check(problems: Problems, questions: list[dict]) -> None:
    """Each question needs a text, at least two options and at least one correct one."""
    for number, question in enumerate(questions, start=1):
        options = question.get("options") or []
        if not (question.get("text") or "").strip():
            problems.add("questions", _("Question %(number)d has no text.") % {"number": number})
        if len(options) < 2:
            problems.add(
                "questions",
                _("Question %(number)d needs at least two options.") % {"number": number},
            )
        if not any(option.get("is_correct") for option in options):
            problems.add(
                "questions",
                _("Question %(number)d needs at least one correct option.") % {"number": number},
            )
