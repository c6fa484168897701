"""What the back office shows of focal points, their invitations, submissions and files is
written for translation: every field's label, each model's name and the permission to review."""

from django.utils.functional import Promise
from django.utils.translation import override

from focal.models import Attachment, FocalPoint, FocalSubmission, Invitation

MODELS = (FocalPoint, Invitation, FocalSubmission, Attachment)


def test_every_label_of_the_focal_models_is_marked_for_translation():
    plain = [
        f"{model.__name__}.{field.name}"
        for model in MODELS
        for field in model._meta.concrete_fields
        if not field.primary_key and not isinstance(field.verbose_name, Promise)
    ]
    plain += [
        f"{model.__name__} ({which})"
        for model in MODELS
        for which in ("verbose_name", "verbose_name_plural")
        if not isinstance(getattr(model._meta, which), Promise)
    ]
    assert plain == []


def test_the_review_permission_s_label_is_marked_for_translation():
    ((codename, label),) = FocalSubmission._meta.permissions
    assert codename == "review_focalsubmission"
    assert isinstance(label, Promise)
    with override("en"):
        assert str(label) == "Can approve, return or reject submissions"
