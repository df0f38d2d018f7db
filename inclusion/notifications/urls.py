from django.urls import path

from inclusion.notifications import views

urlpatterns = [
    path("mon-compte/notifications/", views.notification_settings, name="notification_settings"),
]
