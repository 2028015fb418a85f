"""The award rule-set library as pages anyone may read (the rules are published with every procurement document):
what each rule set changes, its source, what is inferred, its parameters in words and the rounds that use it."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..engines.rule_sets import parameter_rows
from ..models import RuleSet, TenderRound


@require_safe
def rule_set_list(request):
    rule_sets = RuleSet.objects.order_by("family", "code", "-version")
    return render(request, "procurement/rule_set_list.html", {"rule_sets": rule_sets})


@require_safe
def rule_set_detail(request, code, version):
    rule_set = get_object_or_404(RuleSet, code=code, version=version)
    rounds = TenderRound.objects.visible_to(request.user).filter(rule_set=rule_set).order_by("-bid_closes_at")
    return render(
        request,
        "procurement/rule_set_detail.html",
        {"rule_set": rule_set, "parameters": parameter_rows(rule_set.parameters), "rounds": rounds},
    )
