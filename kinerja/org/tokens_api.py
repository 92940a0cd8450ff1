"""POST /api/token/ (NIP and password for a new API token, through django-axes:
repeated failures lock the NIP out like the login page; with the second-factor
code when the person uses one, kinerja/org/mfa.py) and the person's own tokens:
list and revoke (kinerja.org.tokens)."""

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from kinerja.api import ScopedObjectMixin

from . import mfa, tokens
from .models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    nip = serializers.CharField(label=_("NIP atau nama pengguna"), max_length=150)
    password = serializers.CharField(
        label=_("Kata sandi"), style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(
        label=_("Nama token (mis. aplikasi yang memakainya)"),
        max_length=100,
        required=False,
        allow_blank=True,
    )
    otp = serializers.CharField(
        label=_("Kode autentikasi dua faktor (bila akun memakainya)"),
        max_length=20,
        required=False,
        allow_blank=True,
    )


@extend_schema(
    operation_id="token_obtain",
    tags=["auth"],
    summary="Tukar NIP dan kata sandi dengan token API",
    description=(
        "Kirim NIP dan kata sandi; jawabannya token baru untuk header "
        "`Authorization: Token <token>`, ditampilkan sekali ini saja. Token berakhir "
        "setelah tidak dipakai selama API_TOKEN_IDLE_DAYS hari (bawaan 30), paling lama "
        "API_TOKEN_MAX_AGE_DAYS hari (bawaan 365), dan saat dicabut: oleh pemiliknya, atau "
        "karena kata sandi diganti atau diatur ulang, akun dinonaktifkan, atau peran berubah. "
        "Setelah beberapa kali gagal, NIP dikunci sementara (HTTP 429), sama seperti "
        "halaman masuk. Akun yang memakai autentikasi dua faktor mengirim juga `otp`: kode "
        "6 angka dari aplikasi autentikator atau satu kode cadangan; kode yang salah dihitung "
        "sebagai percobaan gagal. Admin BKD, tim penilai kinerja, dan superuser platform yang "
        "belum mendaftarkan autentikator mendapat 403 sampai mendaftarkannya di profil."
    ),
    request=TokenRequestSerializer,
    responses={
        200: inline_serializer(
            "TokenResponse",
            {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
        ),
        400: OpenApiResponse(
            description="NIP atau kata sandi salah, atau kode autentikasi dua faktor salah."
        ),
        403: OpenApiResponse(
            description="Peran akun mewajibkan autentikasi dua faktor yang belum didaftarkan."
        ),
        429: OpenApiResponse(description="Terlalu banyak percobaan gagal; coba lagi nanti."),
    },
    auth=[],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def obtain_token(request: Request) -> Response:
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    nip = serializer.validated_data["nip"].strip()
    # axes needs the Django request to count failures and enforce the lockout.
    django_request = request._request
    user = authenticate(
        request=django_request, username=nip, password=serializer.validated_data["password"]
    )
    if getattr(django_request, "axes_locked_out", False):
        # AxesMiddleware turns this into its lockout response (429).
        return Response(
            {"detail": _("Terlalu banyak percobaan gagal. Coba lagi nanti.")},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if user is None:
        raise exceptions.ValidationError({"detail": [_("NIP atau kata sandi salah.")]})
    if mfa.is_enrolled(user):
        code = serializer.validated_data.get("otp", "").strip()
        if not code:
            raise exceptions.ValidationError(
                {"otp": [_("Akun ini memakai autentikasi dua faktor: kirim juga kodenya (otp).")]}
            )
        try:
            mfa.mfa_verify(actor=user, code=code)
        except DjangoValidationError as error:
            if mfa.count_failure(django_request, user):
                return Response(
                    {"detail": _("Terlalu banyak percobaan gagal. Coba lagi nanti.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise exceptions.ValidationError({"otp": error.messages}) from error
    elif mfa.is_required(user):
        raise exceptions.PermissionDenied(
            _(
                "Peran Anda mewajibkan autentikasi dua faktor. Masuk lewat halaman masuk dan "
                "daftarkan aplikasi autentikator di profil sebelum membuat token."
            )
        )
    token, key = tokens.token_create(user=user, name=serializer.validated_data.get("name", ""))
    return Response({"token": key, "expires_at": tokens.expires_at(token)})


class ApiTokenSerializer(serializers.ModelSerializer):
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "name", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields

    def get_expires_at(self, obj: ApiToken) -> Any:
        return serializers.DateTimeField().to_representation(tokens.expires_at(obj))


class ApiTokenViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own tokens that still work; anyone else's id is a 404."""

    serializer_class = ApiTokenSerializer
    pagination_class = None

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user, revoked_at__isnull=True)

    def list(self, request, *args, **kwargs):
        live = tokens.live_tokens(request.user)
        return Response(self.get_serializer(live, many=True).data)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = tokens.token_revoke(actor=request.user, token=self.get_object())
        return Response(self.get_serializer(token).data)
