"""API tokens: a REST client trades a username and password for a new token, and a user lists
and revokes their own.

    POST   /api/v1/auth/token/        {"username", "password", "name"?} -> {"token", "id", ...}
    GET    /api/v1/auth/tokens/       the signed-in user's tokens (never the tokens themselves)
    DELETE /api/v1/auth/tokens/<id>/  revoke one of them

The token goes in `Authorization: Token ...`. It is shown once, in the login's answer: only
its hash is kept (django-rest-knox). It ends after API_TOKEN_TTL_DAYS, when revoked, and when
its owner's password changes or the account is deactivated (core/tokens.py). The login counts
towards the same brute-force lock as the back office's (core.security).
"""

from django.contrib.auth import authenticate, user_logged_in
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.settings import knox_settings
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import ApiToken
from core.rest.errors import ErrorSerializer, Problem, RequestRefused
from core.security import lockout_response


class LoginRefused(RequestRefused):
    status_code = 400
    default_code = "invalid_credentials"
    summary = gettext_lazy("Login refused.")


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = serializers.CharField(
        max_length=100,
        default="API token",
        help_text="What the token is for (e.g. the script that uses it), to tell it apart "
        "when listing or revoking tokens.",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    expiry = serializers.DateTimeField(help_text="When the token stops working.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry"]


class NewTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`. Shown this once: only its hash "
        "is kept."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class TokenLoginView(APIView):
    # The body carries the credentials; a session or token the client already holds plays no
    # part (and so no CSRF token is needed).
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtain a new API token",
        description=(
            "Trade a username and password for a new API token, named as you ask, which "
            f"ends after {knox_settings.TOKEN_TTL.days} days, when you revoke it, or when "
            "the password changes or the account is deactivated. The token is shown in this "
            "answer only. After 5 failed logins for one username from one address, logins "
            "for that username from that address are refused with 429 for 15 minutes, also "
            "with the right password; so are logins from an address with 20 failures across "
            "usernames. Retry-After says how many seconds remain."
        ),
        request=TokenLoginSerializer,
        responses={
            200: NewTokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Username or password missing, or not a valid login "
                "(rule invalid_credentials).",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many failed logins (rule locked_out), or too many requests "
                "from an anonymous client (rule throttled); see Retry-After.",
            ),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response | HttpResponse:
        serializer = TokenLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        # django-axes marks the Django request (not the REST framework's wrapper), and its
        # middleware reads the mark there.
        django_request = request._request
        user = authenticate(
            django_request, username=credentials["username"], password=credentials["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request, None, {"username": credentials["username"]})
        if user is None:
            raise LoginRefused(
                [Problem(None, "invalid_credentials", _("The username or password is not right."))]
            )
        if user_has_device(user):
            # An account with a second factor (a focal point) signs in with both, on its own
            # pages: a password alone must not buy a token that skips the second.
            raise LoginRefused(
                [
                    Problem(
                        None,
                        "second_factor_required",
                        _(
                            "This account signs in with a second factor and cannot obtain an "
                            "API token."
                        ),
                    )
                ]
            )
        # As a back-office login does: records the login (last_login) and clears the failures.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        record, token = ApiToken.objects.create(
            user=user, expiry=knox_settings.TOKEN_TTL, name=credentials["name"]
        )
        return Response({"token": token} | ApiTokenSerializer(record).data)


def live_tokens(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, expiry__gt=timezone.now()))


class TokenListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_tokens_list",
        summary="Your API tokens",
        description="The signed-in user's API tokens that have not ended, oldest first: "
        "their id, name, when each was made and when it ends (never the token itself).",
        responses={200: ApiTokenSerializer(many=True)},
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        return Response(ApiTokenSerializer(live_tokens(request.user), many=True).data)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_tokens_destroy",
        summary="Revoke one of your API tokens",
        description="The token stops working at once. Another user's token is not found (404).",
        responses={
            204: None,
            404: OpenApiResponse(ErrorSerializer, description="No such token of yours."),
        },
        tags=["auth"],
    )
    def delete(self, request: Request, uid: str) -> Response:
        deleted, _ = ApiToken.objects.filter(user=request.user, uid=uid).delete()
        if not deleted:
            raise Http404
        return Response(status=204)
