"""The seeded examination template in both languages.

Sections and questions are the admin's data, editable at any time, so their words are stored rather than looked
up in a gettext catalogue (a catalogue would lose them the moment an admin corrects a question): every section and
item keeps its English text and, beside it, its Simplified Chinese text (`*_zh_hans`, shown to Chinese readers,
English where it is not written). Seeded section titles were "项目管理制度 Project management system" — both
languages in one field; they are split here. Only rows still holding the seeded words are touched: what an admin
has rewritten stays as the admin wrote it.
"""

from django.db import migrations, models
import django.core.validators

TEMPLATE = "管理体系审查 Management-system examination"

# section code → (seeded title, English title, Chinese title, Chinese description)
SECTIONS = {
    "project_management": (
        "项目管理制度 Project management system",
        "Project management system",
        "项目管理制度",
        "供应商的项目管理制度是否规范、完整、可行，是否使项目负责人能够掌控项目资源。",
    ),
    "performance_appraisal": (
        "绩效考核制度 Performance appraisal system",
        "Performance appraisal system",
        "绩效考核制度",
        "考核是否完整可行、与项目质量挂钩、兼顾长期与短期、与团队和个人利益相关联，并切实执行。",
    ),
    "implementation": (
        "实施情况说明 Description of implementation",
        "Description of implementation",
        "实施情况说明",
        "关于项目管理和绩效考核执行情况的定期书面报告。",
    ),
    "team_stability": (
        "项目组成员稳定性 Team stability",
        "Team stability",
        "项目组成员稳定性",
        "由系统自有的人员名册数据填写：公司整体稳定性及团队成员资格。",
    ),
    "qualifications": (
        "公司资质 Company qualifications",
        "Company qualifications",
        "公司资质",
        "由系统自有数据填写：已核验的资质与项目要求的对照。",
    ),
}

# item code → (Chinese question, Chinese guidance)
ITEMS = {
    "pm_standardized": ("项目管理制度规范：成文、经批准并有版本管理。", "提供现行程序手册及其批准记录和版本历史。"),
    "pm_complete": (
        "制度完整：涵盖计划、范围、进度、质量、风险、变更和资源。",
        "将每个方面对应到手册中涵盖它的条款。",
    ),
    "pm_feasible": (
        "制度可行：其程序与公司规模相适应且切实可行。",
        "展示近期按这些程序执行的一个项目（计划、会议纪要、变更记录）。",
    ),
    "pm_leader_control": ("项目负责人掌控项目资源：人员、预算和设备。", "引用对项目负责人的授权规定。"),
    "pm_coordination": (
        "项目需要时，项目负责人能够协调公司的其他资源。",
        "说明升级路径，并举一个从其他部门借调资源的实例。",
    ),
    "ap_complete_feasible": ("绩效考核制度完整可行。", "提供考核制度及其表格。"),
    "ap_quality_link": ("考核与项目质量直接挂钩。", "展示考核中使用的质量指标（缺陷、验收结果、SLA 达成率）。"),
    "ap_long_short": ("考核兼顾长期和短期绩效。", "说明考核周期（月度、季度、年度）及各自考察的内容。"),
    "ap_interests": ("考核结果与团队和个人利益（薪酬、奖金、晋升）挂钩。", "说明考核结果如何影响薪酬和晋升决定。"),
    "ap_implemented": ("绩效考核制度切实执行，而不仅是成文。", "仅当最近两个周期都进行了考核时回答“是”。"),
    "ap_records": ("最近两个周期的考核记录已存档。", "上传一个项目团队经匿名处理的考核记录。"),
    "im_reports": ("公司定期就项目管理和考核执行情况出具书面报告。", "说明报告名称、频率和阅读对象。"),
    "im_overall_control": ("报告表明项目处于公司的整体掌控之下。", "上传最近两期报告。"),
    "im_resources": ("报告表明项目资源没有被过度使用。", "指出报告中的资源利用率数据。"),
    "im_service_level": ("报告表明团队的服务水平得到保持。", "指出报告中的服务水平数据。"),
    "ts_figure": ("团队和公司的稳定性（流失率、任职年限、合格参与人员）。", "根据供应商的人员名册计算；见“团队”模块。"),
    "q_fit": ("已核验的资质满足项目的要求。", "根据已核验且有效的证书计算；见“资质”模块。"),
}


def translate(apps, schema_editor):
    Section = apps.get_model("assessments", "TemplateSection")
    Item = apps.get_model("assessments", "TemplateItem")
    for code, (seeded, english, chinese, description) in SECTIONS.items():
        for section in Section.objects.filter(template__name=TEMPLATE, code=code):
            if section.title == seeded:
                section.title, section.title_zh_hans = english, chinese
            if section.description and not section.description_zh_hans:
                section.description_zh_hans = description
            section.save(update_fields=["title", "title_zh_hans", "description_zh_hans"])
    for code, (text, guidance) in ITEMS.items():
        Item.objects.filter(section__template__name=TEMPLATE, code=code, text_zh_hans="").update(
            text_zh_hans=text, guidance_zh_hans=guidance
        )


def untranslate(apps, schema_editor):
    Section = apps.get_model("assessments", "TemplateSection")
    for code, (seeded, english, _chinese, _description) in SECTIONS.items():
        Section.objects.filter(template__name=TEMPLATE, code=code, title=english).update(title=seeded)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_version")]

    operations = [
        migrations.AddField(
            model_name="templatesection",
            name="title_zh_hans",
            field=models.CharField(blank=True, max_length=200, verbose_name="title in Chinese"),
        ),
        migrations.AddField(
            model_name="templatesection",
            name="description_zh_hans",
            field=models.TextField(
                blank=True,
                max_length=2000,
                validators=[django.core.validators.MaxLengthValidator(2000)],
                verbose_name="description in Chinese",
            ),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="text_zh_hans",
            field=models.CharField(blank=True, max_length=500, verbose_name="question in Chinese"),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="guidance_zh_hans",
            field=models.TextField(
                blank=True,
                max_length=3000,
                validators=[django.core.validators.MaxLengthValidator(3000)],
                verbose_name="guidance in Chinese",
            ),
        ),
        migrations.RunPython(translate, untranslate),
    ]
