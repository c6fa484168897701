"""The token login: a REST client trades a username and password for its API token.

    POST /api/v1/auth/token/  {"username": "amira", "password": "..."}  ->  {"token": "..."}

The token then goes in `Authorization: Token ...`. The login counts towards the same
brute-force lock as the back office's (core.security): five failures for one username
from one address, and that pair is refused for fifteen minutes, also with the right password.
"""

from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.rest.errors import ErrorSerializer, Problem, RequestRefused
from core.security import lockout_response


class LoginRefused(RequestRefused):
    status_code = 400
    default_code = "invalid_credentials"
    summary = "Login refused."


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class TokenLoginView(APIView):
    # The body carries the credentials; a session or token the client already holds plays no
    # part (and so no CSRF token is needed).
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtain the API token of a user",
        description=(
            "Trade a username and password for the user's API token (the same token each "
            "time). After 5 failed logins for one username from one address, logins for that "
            "username from that address are refused with 429 for 15 minutes, also with the "
            "right password; Retry-After says how many seconds remain."
        ),
        request=TokenLoginSerializer,
        responses={
            200: TokenSerializer,
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
                [Problem(None, "invalid_credentials", "The username or password is not right.")]
            )
        # As a back-office login does: records the login (last_login) and clears the failures.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
