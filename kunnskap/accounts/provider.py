"""django-allauth finds the sign-in providers of an app in its `provider` module."""

from .oidc import EntraProvider, IdportenProvider

provider_classes = [IdportenProvider, EntraProvider]
