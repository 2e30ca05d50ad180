"""Demo vendors with Chinese and English names, their contacts, and the demo logins."""

from __future__ import annotations

from typing import Any

from outsourcing.core.access import SYSTEM
from outsourcing.vendors.actions import do_create_vendor, do_save_contact

VENDORS = [
    (
        "a",
        "华信软件技术有限公司",
        "Huaxin Software Technology Co., Ltd.",
        "91110108MA01HX0002",
        "CN",
        "approved",
        "北京市海淀区中关村大街 18 号",
        [("王磊", "项目总监", "wang.lei@huaxin.example.cn", "+86 10 6255 0001")],
    ),
    (
        "b",
        "云岭信息系统有限公司",
        "Yunling Information Systems Co., Ltd.",
        "91530100MA6K2Y0008",
        "CN",
        "approved",
        "昆明市五华区人民中路 66 号",
        [("李娜", "客户经理", "li.na@yunling.example.cn", "+86 871 6300 0002")],
    ),
    (
        "c",
        "东方运维服务股份有限公司",
        "Eastern O&M Services Co., Ltd.",
        "91310115MA1K4D0000",
        "CN",
        "prospective",
        "上海市浦东新区张江路 99 号",
        [("张伟", "运维经理", "zhang.wei@eastern-om.example.cn", "+86 21 5080 0003")],
    ),
    (
        "d",
        "Northwind Consulting GmbH",
        "",
        "HRB 204512",
        "DE",
        "approved",
        "Friedrichstraße 120, 10117 Berlin",
        [("Anna Keller", "Engagement lead", "anna.keller@northwind.example", "+49 30 2000 1004")],
    ),
    (
        "e",
        "智远数据科技有限公司",
        "Zhiyuan Data Technology Co., Ltd.",
        "91440300MA5F7X000Y",
        "CN",
        "suspended",
        "深圳市南山区科技园南区 8 栋",
        [("陈静", "销售总监", "chen.jing@zhiyuan.example.cn", "+86 755 8600 0005")],
    ),
    (
        "f",
        "Brightpath Systems Ltd",
        "",
        "SC612345",
        "GB",
        "prospective",
        "12 Castle Street, Edinburgh EH2 3AT",
        [("Oliver Grant", "Account director", "o.grant@brightpath.example", "+44 131 555 0106")],
    ),
    (
        "g",
        "恒安安全服务有限公司",
        "Heng'an Security Services Co., Ltd.",
        "91320100MA1N8H0000",
        "CN",
        "approved",
        "南京市建邺区江东中路 200 号",
        [("赵敏", "安全服务主管", "zhao.min@hengan.example.cn", "+86 25 8300 0007")],
    ),
    (
        "h",
        "精工制造协作有限公司",
        "Jinggong Manufacturing Partners Co., Ltd.",
        "91330200MA2H9J000H",
        "CN",
        "approved",
        "宁波市北仑区新碶街道 5 号",
        [("孙强", "生产经理", "sun.qiang@jinggong.example.cn", "+86 574 8600 0008")],
    ),
    (
        "i",
        "Sakura Information Services K.K.",
        "",
        "0104-01-123456",
        "JP",
        "blocked",
        "2-1 Marunouchi, Chiyoda-ku, Tokyo",
        [("Haruto Sato", "Sales manager", "sato@sakura-is.example.jp", "+81 3 5000 0109")],
    ),
    (
        "j",
        "蓝海云计算有限公司",
        "Blue Ocean Cloud Computing Co., Ltd.",
        "91510100MA6C3L001G",
        "CN",
        "prospective",
        "成都市高新区天府大道 1700 号",
        [("刘洋", "解决方案架构师", "liu.yang@blueocean.example.cn", "+86 28 8500 0010")],
    ),
]


def build(ctx: dict[str, Any]) -> None:
    from outsourcing.core.management.commands.demo import DEMO_LOGINS

    for key, name, english, reg, country, status, address, contacts in VENDORS:
        vendor = do_create_vendor(
            acting_user=SYSTEM,
            name=name,
            english_name=english,
            registration_number=reg,
            country=country,
            status=status,
            address=address,
        )
        for index, (contact_name, title, email, phone) in enumerate(contacts):
            do_save_contact(
                None,
                vendor=vendor,
                acting_user=SYSTEM,
                changes={
                    "name": contact_name,
                    "title": title,
                    "email": email,
                    "phone": phone,
                    "is_primary": index == 0,
                },
            )
        ctx["vendors"][key] = vendor
    names = {
        "admin": ("Mei", "Lin"),
        "manager": ("Jun", "Zhou"),
        "auditor": ("Hui", "Xu"),
        "vendor_a": ("Lei", "Wang"),
        "vendor_b": ("Na", "Li"),
    }
    for username, role, password, vendor_key in DEMO_LOGINS:
        first, last = names[username]
        ctx["users"][username] = ctx["create_user"](
            username=username,
            password=password,
            role=role,
            vendor_id=ctx["vendors"][vendor_key].pk if vendor_key else None,
            first_name=first,
            last_name=last,
            acting_user=None,
        )
