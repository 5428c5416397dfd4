"""The words of staff sign-in and approvals: refusals (``staff.*`` reason codes of
``terminal/app/staff_login.py`` and ``terminal/domain/staff.py``), the roles and the
actions a cashier needs a manager's approval for (``staff.role.*``, ``staff.action.*``,
one per ``Role`` and ``RestrictedAction`` value).

``staff.unknown`` and ``staff.wrong_pin`` have the same words on purpose: the screen must
not tell an id nobody holds from a wrong PIN. A text uses only the params its error
carries. What must not live here: the rules, Qt.
"""

from __future__ import annotations

_WRONG_ID_OR_PIN = (
    "员工号或密码错误，还可再试 {tries_left} 次",
    "Wrong staff id or PIN: {tries_left} tries left",
)

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
STAFF_TEXTS: dict[str, tuple[str, str]] = {
    "staff.refused": ("登录未成功", "Could not sign in"),
    "staff.unknown": _WRONG_ID_OR_PIN,
    "staff.wrong_pin": _WRONG_ID_OR_PIN,
    "staff.locked": (
        "密码错误次数过多，请 {minutes_left} 分钟后再试",
        "Too many wrong PINs: try again in {minutes_left} min",
    ),
    "staff.disabled": (
        "该员工账号已停用，请联系店长",
        "This staff account is disabled: ask a manager",
    ),
    "staff.not_signed_in": ("请先登录", "Sign in first"),
    "staff.not_manager": (
        "需要店长授权，此账号不是店长",
        "A manager must approve: this is not a manager",
    ),
    "staff.approval_needed": ("此操作需要店长授权", "This needs a manager's approval"),
    "staff.invalid": ("员工信息不符合要求", "The staff details are not valid"),
    "staff.bad_id": (
        "员工号为 1-16 位字母、数字、_ 或 -",
        "A staff id is 1-16 letters, digits, _ or -",
    ),
    "staff.bad_name": ("姓名为 1-{max_length} 个字符", "A name is 1-{max_length} characters"),
    "staff.bad_role": ("角色须为收银员或店长", "The role must be cashier or manager"),
    "staff.bad_pin": ("密码为 4-8 位数字", "A PIN is 4 to 8 digits"),
    "staff.role.cashier": ("收银员", "Cashier"),
    "staff.role.manager": ("店长", "Manager"),
    "staff.action.cancel_sale": ("取消有商品的交易", "Cancel a sale with items"),
    "staff.action.void_after_tender": ("付款开始后删除商品", "Void an item after payment started"),
    "staff.action.discount_over_limit": ("超过限额的折扣", "A discount over the limit"),
    "staff.action.price_override": ("修改价格", "Change a price"),
    "staff.action.refund": ("退款", "Refund"),
    "staff.action.return_without_receipt": ("无小票退货", "Return without a receipt"),
    "staff.action.open_drawer": ("无交易开钱箱", "Open the drawer without a sale"),
    "staff.action.manual_weight": ("手动输入重量", "Type a weight by hand"),
}
