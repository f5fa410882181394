from django.urls import path

from borderwatch.news import views

app_name = "news"

urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("articles/", views.article_list, name="articles"),
    path("articles/new/", views.article_paste, name="paste"),
    path("articles/upload/", views.article_upload, name="upload"),
    path("articles/<int:article_id>/", views.article_detail, name="article"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("claims/<int:claim_id>/decide/", views.claim_decide, name="decide"),
]
