from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("ny/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/endre/", views.assessment_edit, name="edit"),
    path("<int:pk>/seksjon/<slug:key>/", views.section_edit, name="section"),
    path("<int:pk>/utskrift/", views.print_view, name="print"),
    path("<int:pk>/mmv.docx", views.export_docx, name="docx"),
    path("<int:pk>/mmv.pdf", views.export_pdf, name="pdf"),
]
