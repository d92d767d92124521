from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

UserModel = get_user_model()


class PasswordBackend(ModelBackend):
    """Django's own sign-in by username and password, loading the signed-in person with
    their councillor record (if their login is linked to one) in the one query that every
    request already makes for them. The site's header asks `user.member` on every page for
    the "Your meetings" link: this answers it without a query, and always as the record
    stands now (linking or unlinking a councillor shows on their next page: nothing about it
    is kept in the session)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Refused for good: Django's ModelBackend, listed after this one only to load the
            # sessions signed in before it, would otherwise check the password a second time.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("member").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
