from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_invitations

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.password_change, name="password-change"),
    path("tokens/<int:pk>/revoke", views.revoke_token, name="revoke-token"),
    path("users/", views.users, name="users"),
    path("users/new", views.user_create, name="user-create"),
    path("users/<int:pk>/edit", views.user_edit, name="user-edit"),
    path("vendors/<int:pk>/invitations", views_invitations.vendor_invitations, name="vendor-invitations"),
    path("invitations/<int:pk>/<slug:action>", views_invitations.invitation_action, name="invitation-action"),
    path("invite/<str:token>/", views_invitations.accept_invitation, name="invitation-accept"),
]
