"""The customer screen's words in zh_CN and en: the welcome and totals, the face-pay
stages (looking, greeting, consent, last 4 digits, confirming, paying, failing), the
guidance under the camera, and what the cashier window shows of those stages.

Only text tables live here (message id -> (zh_CN, en)); looking a text up is
``strings.Strings``'s. What must not live here: reason codes (``texts_rules``,
``texts_refusals``), the cashier's own panels (``texts_cashier``), Qt.
"""

from __future__ import annotations

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
CUSTOMER_TEXTS: dict[str, tuple[str, str]] = {
    # customer window
    "customer.title": ("顾客屏", "Customer"),
    "customer.welcome": ("欢迎光临", "Welcome"),
    "customer.welcome.other": ("Welcome", "欢迎光临"),
    "customer.total": ("合计", "Total"),
    "customer.items": ("共 {count} 件", "{count} items"),
    "customer.paid": ("支付成功", "Payment received"),
    "customer.paid_amount": ("实付 {amount}", "Paid {amount}"),
    "customer.change": ("找零 {amount}", "Your change {amount}"),
    "customer.thanks": ("谢谢惠顾，欢迎再次光临", "Thank you, see you again"),
    "customer.cancelled": ("交易已取消", "Sale cancelled"),
    "customer.hand_back": ("退还您的现金 {amount}", "Your cash back {amount}"),
    "customer.camera": ("刷脸支付即将上线", "Face pay coming soon"),
    "customer.due": ("待付 {amount}", "To pay {amount}"),
    "customer.offline": (
        "离线模式：可用现金；刷脸支付限额内可用",
        "Offline: cash; face pay within limits",
    ),
    # the face stages on the customer screen (CustomerPanel)
    "face.pay_by_face": ("刷脸支付", "Pay by face"),
    "face.looking": ("正在识别，请看摄像头…", "Looking for you…"),
    "face.joined": ("欢迎新会员！", "Welcome, new member!"),
    "face.balance": ("余额 {amount}", "Balance {amount}"),
    "face.not_me": ("不是我", "Not me"),
    "face.confirm": ("确认支付", "Confirm"),
    "face.invite.title": ("第 1 步（共 2 步）：成为会员", "Step 1 of 2: join as a member"),
    "face.invite.face_title": (
        "第 2 步（共 2 步）：开通刷脸识别和刷脸支付（单独同意）",
        "Step 2 of 2: face recognition and face pay (a separate consent)",
    ),
    "face.consent.version": ("条款版本 {version}", "Terms version {version}"),
    "face.accept": ("同意", "Accept"),
    "face.forget_me": ("删除我的信息", "Delete my data"),
    "forget.title": ("要删除哪些信息？", "What should we delete?"),
    "forget.explain": (
        "为确认是您本人，我们会向您登记的手机发送验证码。",
        "To make sure it is you, we will text a code to the phone you gave us.",
    ),
    "forget.face_only": ("只删除人脸（保留会员）", "My face only (stay a member)"),
    "forget.everything": ("删除全部会员信息", "Everything (leave membership)"),
    "forget.cancel": ("取消", "Cancel"),
    "forget.code.title": ("请输入短信验证码", "Enter the code from the text message"),
    "forget.code.sent": (
        "验证码已发送到您的手机，5 分钟内有效。",
        "A code was sent to your phone; it is valid for 5 minutes.",
    ),
    "forget.code.wrong": ("验证码不正确。", "That code is not right."),
    "forget.done.face": (
        "您的人脸信息已删除，会员身份保留。",
        "Your face has been deleted. You are still a member.",
    ),
    "forget.done.all": ("您的会员信息已全部删除。", "All your member data has been deleted."),
    "forget.ok": ("好的", "OK"),
    "forget.failed": ("未能删除", "Could not delete"),
    "face.decline": ("不用了，谢谢", "No thanks"),
    "face.enrolling": ("请保持不动，正在录入…", "Hold still…"),
    "face.last4.title": ("请输入手机号后四位", "Last 4 digits of your phone"),
    "face.last4.hint": (
        "无法确认是您：请输入手机号后四位",
        "Not sure it is you: enter the last 4 digits of your phone",
    ),
    "face.last4.no_match": (
        "没有与该号码匹配的会员，请重试",
        "No member with those digits looks like you",
    ),
    "face.key.ok": ("确定", "OK"),
    "face.key.cancel": ("取消", "Cancel"),
    "face.paying": ("正在支付…", "Paying…"),
    "face.pay_other_way": ("换其他方式支付", "Pay another way"),
    "face.guide.too_far": ("请靠近一点", "Come a little closer"),
    "face.guide.out_of_frame": ("请把脸移到画面中间", "Move your face into the middle"),
    "face.guide.pose": ("请正对摄像头", "Face the camera straight on"),
    "face.guide.too_dark": ("光线太暗", "Too dark"),
    "face.guide.too_bright": ("光线太亮", "Too bright"),
    "face.guide.blurry": ("请保持不动", "Hold still, the picture is blurred"),
    "face.guide.crowded": ("请一次一人", "One person at a time, please"),
    "face.guide.spoof": ("活体检测未通过", "Liveness check failed"),
    "face.guide.no_face": ("请看摄像头", "Look at the camera"),
    "face.greeting": ("{name}，您好！积分 {points}", "Hi, {name}! Points: {points}"),
    "face.prompt": ("{name}，确认支付 {amount}？", "{name}, pay {amount}?"),
    "face.failed.declined": ("刷脸支付被拒绝", "Face pay declined"),
    "face.failed.offline": (
        "离线时超出限额，无法刷脸支付",
        "Face pay is not possible offline beyond the limit",
    ),
    "face.failed.error": ("刷脸支付未成功", "Face pay did not go through"),
    "face.failed.unresolved": (
        "支付结果未知：收银员将为您核实",
        "Payment result unknown: the cashier will check",
    ),
    "face.failed.enroll": (
        "未能录入面部信息：请看摄像头再试一次",
        "Could not make your face template: look at the camera and try again",
    ),
    "face.failed.unknown_member": (
        "本收银台暂无该会员信息",
        "This member is not on this till yet",
    ),
    "face.failed.not_pay": (
        "识别把握不足，无法刷脸支付",
        "Not recognised well enough to pay by face",
    ),
    # face waits: the question bound to the face, "Not me", timeouts (FaceCheckout)
    "face.not_me.choose": (
        "不是您？可输入手机号后四位，或换其他方式支付",
        "Not you? Enter your phone's last 4 digits, or pay another way",
    ),
    "face.use_last4": ("输入手机后四位", "Phone digits"),
    "face.try_again": ("重试", "Try again"),
    "face.last4.not_me": (
        "输入后请看摄像头，我们会重新识别",
        "Then look at the camera and we will look again",
    ),
    "face.timeout.recognising": ("未能及时识别到您", "We could not recognise you in time"),
    "face.timeout.question": ("支付确认已超时", "The payment question timed out"),
    "face.timeout.last4": ("输入手机号后四位已超时", "Time ran out for the phone digits"),
    # what the cashier sees of the customer's face stage
    "cashier.face.looking": ("顾客屏：正在识别人脸", "Customer: looking for a face"),
    "cashier.face.show_code": (
        "顾客屏：请顾客向摄像头出示付款码",
        "Customer: showing a payment code to the camera",
    ),
    "cashier.face.greeting": ("顾客屏：已识别会员", "Customer: member recognised"),
    "cashier.face.forget": ("顾客屏：会员选择删除信息", "Customer: asking to delete their data"),
    "cashier.face.forget_code": (
        "顾客屏：会员正在输入短信验证码",
        "Customer: entering the code to delete their data",
    ),
    "cashier.face.forget_done": ("顾客屏：会员信息已删除", "Customer: their data was deleted"),
    "cashier.face.invite": ("顾客屏：邀请加入会员", "Customer: deciding whether to join"),
    "cashier.face.enrolling": ("顾客屏：正在录入人脸", "Customer: joining, face capture"),
    "cashier.face.confirm": ("顾客正在确认刷脸支付", "Customer is confirming face pay"),
    "cashier.face.last4": ("顾客正在输入手机后四位", "Customer is entering phone digits"),
    "cashier.face.paying": ("刷脸支付处理中…", "Face pay in progress…"),
    "cashier.face.failed": ("刷脸未成功：{reason}", "Face pay failed: {reason}"),
    "cashier.face.unavailable": ("本机未启用刷脸支付", "Face pay is not set up on this till"),
    "cashier.face.not_me": (
        "顾客表示不是本人：手机后四位或换其他方式",
        "Customer said 'not me': phone digits or another tender",
    ),
    "cashier.face.timed_out": (
        "刷脸等待超时：请换其他方式，或按 F10 重试",
        "Face pay timed out: take another tender, or F10 to retry",
    ),
    # The code step: a wallet payment code shown to the customer-facing camera.
    "face.code.show": (
        "请向摄像头出示付款码，支付 {amount}",
        "Show your payment code to the camera to pay {amount}",
    ),
    "face.code.pay_with_code": ("出示付款码", "Show a pay code"),
    "face.code.cancel": ("取消", "Cancel"),
}
