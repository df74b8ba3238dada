"""Forms of the satisfaction survey: the admin's survey and question forms, and the answer form built
from a survey's questions (field `q<pk>`: a 1-5 radio choice or a text)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.satisfaction.models import TEXT_MAX, QuestionKind, Survey

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    intro = forms.CharField(
        label=_("Introduction"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)


class ClientLinksForm(forms.Form):
    count = forms.IntegerField(label=_("How many links"), min_value=1, max_value=200, initial=20)


class ButtonForm(forms.Form):
    pass


class AnswerForm(forms.Form):
    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in survey.questions.all():
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=SCALE,
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=_("1 = very dissatisfied, 5 = very satisfied"),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    max_length=TEXT_MAX,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def answers(self) -> dict[int, Any]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
