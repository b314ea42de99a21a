from django.urls import path

from cautions import payment_views, proposal_views, variation_views, views

app_name = "cautions"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("worklist/", views.worklist, name="worklist"),
    path("export/", views.case_list_export, name="case_list_export"),
    path("start/", views.case_start, name="start"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    *(
        path(
            f"<int:pk>/{section}/", views.case_detail, {"section": section}, name=f"case_{section}"
        )
        for section in ("assessment", "support", "history")
    ),
    path("<int:pk>/eligibility/", views.eligibility, name="eligibility"),
    path("<int:pk>/needs/", views.needs, name="needs"),
    path("<int:pk>/victim-views/", views.victim_views, name="victim_views"),
    path("<int:pk>/conditions/propose/", proposal_views.propose, name="propose"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/victim-informed/", proposal_views.victim_informed, name="victim_informed"),
    path("<int:pk>/authorise/", views.authorise, name="authorise"),
    path("<int:pk>/administer/", views.administer, name="administer"),
    path("<int:pk>/caution-document/", views.caution_print, name="print"),
    path("<int:pk>/caution-document/signed/", proposal_views.signature, name="signature"),
    path("<int:pk>/court-outcome/", views.court_outcome, name="court_outcome"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path(
        "<int:case_pk>/conditions/<int:pk>/complied/",
        views.condition_complied,
        name="condition_complied",
    ),
    path(
        "<int:case_pk>/conditions/<int:pk>/not-complied/",
        views.condition_not_complied,
        name="condition_not_complied",
    ),
    path(
        "<int:case_pk>/conditions/<int:pk>/vary/",
        variation_views.condition_vary,
        name="condition_vary",
    ),
    path("<int:pk>/conditions/add/", variation_views.condition_add, name="condition_add"),
    path("<int:pk>/extend-period/", variation_views.extend_period, name="extend_period"),
    path(
        "<int:case_pk>/conditions/<int:pk>/payments/",
        payment_views.condition_payments,
        name="condition_payments",
    ),
    path("<int:case_pk>/conditions/<int:pk>/end/", views.condition_end, name="condition_end"),
    path("<int:case_pk>/breaches/<int:pk>/decide/", views.breach_decide, name="breach_decide"),
]
