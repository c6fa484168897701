"""API tokens end with the account's password: a change of password, or a deactivation,
revokes every token of the user.

Django's user model is not ours, so there is no service to put this in; a pre_save receiver on
it sees every way a password changes (the back office, `manage.py changepassword`,
`set_password` then `save`) and every way an account is deactivated.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model
from django.db.models.signals import pre_save

from core.models import ApiToken

WATCHED = {"password", "is_active"}


def tokens_revoke(user: AbstractBaseUser) -> int:
    """Delete every API token of `user`; how many there were."""
    count, _ = ApiToken.objects.filter(user=user).delete()
    return count


def _revoke_on_credentials_change(
    sender: type[Model], instance: Any, update_fields: Any = None, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return  # e.g. the login's own save of last_login: no query
    stored = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    deactivated = stored["is_active"] and not instance.is_active
    if stored["password"] != instance.password or deactivated:
        # Before the save, in its transaction if it has one; a save that then fails has
        # revoked the tokens all the same, which errs on the safe side.
        tokens_revoke(instance)


def connect() -> None:
    pre_save.connect(
        _revoke_on_credentials_change, sender=get_user_model(), dispatch_uid="tokens_revoke"
    )
