from django.contrib import admin

from greenbuild.reference import models


class ReferenceItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["code", "name_zh", "name_en"]


for model in (
    models.District,
    models.Department,
    models.ProjectCategory,
    models.InvestmentNature,
    models.StructureMaterial,
    models.StructureSystem,
    models.BuildingUse,
    models.OrganisationMode,
):
    admin.site.register(model, ReferenceItemAdmin)
