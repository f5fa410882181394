from django.contrib.auth import views as auth_views
from django.urls import path

from borderwatch.accounts.views import choose_language, revoke, tokens

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", choose_language, name="language"),
    path("tokens/", tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", revoke, name="revoke_token"),
]
