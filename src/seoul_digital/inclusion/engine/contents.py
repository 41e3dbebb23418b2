"""The programme's teaching contents as data: 40 contents in three levels, partner courses,
and the robot-class programmes. Titles and objectives are written for this platform.

Each content names the diagnosis skill it teaches (:mod:`.diagnosis`), so a learner's weak
skills point at the contents to plan. ``robot`` marks contents that also run on the
education robots for repetition after a 1:1 lesson (the basic and everyday levels).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CONTENTS",
    "PARTNER_COURSES",
    "ROBOT_PROGRAMMES",
    "Content",
    "by_code",
    "for_skills",
]


@dataclass(frozen=True)
class Content:
    code: str
    level: str  # basic / daily / advanced
    skill: str
    title_ko: str
    title_en: str
    objective_ko: str
    objective_en: str
    minutes: int = 90
    robot: bool = False
    partner_ko: str = ""
    partner_en: str = ""


def _c(code, level, skill, title_ko, title_en, objective_ko, objective_en, minutes=90,
       robot=None):
    return Content(code, level, skill, title_ko, title_en, objective_ko, objective_en, minutes,
                   robot if robot is not None else level in ("basic", "daily"))


CONTENTS: tuple[Content, ...] = (
    # 기초 (basic) — 14
    _c("B01", "basic", "phone_basics", "스마트폰 처음 켜고 끄기", "Turning the phone on and off",
       "전원·음량 버튼과 화면 잠금을 스스로 다룬다.", "Handle the power and volume keys and the lock screen."),
    _c("B02", "basic", "phone_basics", "내 눈에 맞는 글자와 소리", "Text and sound that suit me",
       "글자 크기, 화면 밝기, 벨소리 크기를 바꿔 본다.", "Change text size, brightness and ring volume.", 60),
    _c("B03", "basic", "phone_basics", "전화와 연락처 관리", "Calls and contacts",
       "전화를 걸고 받고, 새 번호를 연락처에 저장한다.", "Make and take calls; save a new number."),
    _c("B04", "basic", "phone_basics", "와이파이와 데이터 아껴 쓰기", "Wi-Fi and mobile data",
       "와이파이에 연결하고 데이터 사용량을 확인한다.", "Join Wi-Fi and check how much data is used.", 60),
    _c("B05", "basic", "phone_basics", "앱 설치하고 지우기", "Installing and removing apps",
       "앱 장터에서 앱을 찾아 설치하고 필요 없는 앱을 지운다.", "Find and install an app; remove unused ones."),
    _c("B06", "basic", "web_search", "검색으로 궁금증 풀기", "Answering questions by search",
       "검색창에 낱말을 넣어 원하는 정보를 찾는다.", "Type words in a search box and find what is needed."),
    _c("B07", "basic", "web_search", "날씨와 뉴스 보기", "Weather and news",
       "오늘 날씨와 관심 있는 소식을 찾아 읽는다.", "Find today's weather and read news of interest.", 60),
    _c("B08", "basic", "web_search", "지도 앱으로 길 찾기", "Finding the way with a map app",
       "목적지를 넣어 버스·지하철 경로와 걸리는 시간을 본다.", "Enter a destination and read the bus or subway route."),
    _c("B09", "basic", "kakaotalk", "카카오톡 친구 추가와 대화", "KakaoTalk friends and chats",
       "친구를 추가하고 글과 이모티콘을 주고받는다.", "Add a friend and exchange messages and emoticons."),
    _c("B10", "basic", "kakaotalk", "카카오톡으로 사진 보내기", "Sending photos on KakaoTalk",
       "앨범의 사진을 골라 대화방에 보내고 받은 사진을 저장한다.", "Pick photos to send and save the ones received.", 60),
    _c("B11", "basic", "kakaotalk", "단체 대화방과 음성 메시지", "Group chats and voice messages",
       "가족 단체방에 참여하고 음성 메시지를 남긴다.", "Join a family group chat and leave a voice message."),
    _c("B12", "basic", "kakaotalk", "카카오톡 영상통화", "Video calls on KakaoTalk",
       "영상통화를 걸고 받으며 화면을 바꿔 본다.", "Make and answer a video call, switch cameras.", 60),
    _c("B13", "basic", "camera", "사진 찍고 앨범 정리", "Taking and sorting photos",
       "사진을 찍고 앨범에서 찾아 지우거나 모은다.", "Take photos, find them in the album, delete or group them."),
    _c("B14", "basic", "camera", "동영상 찍어 나누기", "Recording and sharing a video",
       "짧은 동영상을 찍어 가족에게 보낸다.", "Record a short video and send it to family.", 60),
    # 생활 (everyday) — 14
    _c("D01", "daily", "delivery", "배달앱 가입과 주소 등록", "Signing up to a delivery app",
       "배달앱에 가입하고 집 주소를 정확히 넣는다.", "Create an account and enter the home address correctly.", 60),
    _c("D02", "daily", "delivery", "배달앱으로 음식 주문", "Ordering food for delivery",
       "가게와 메뉴를 골라 요청 사항을 적고 결제한다.", "Choose a shop and dishes, add a note and pay."),
    _c("D03", "daily", "delivery", "주문 확인과 취소", "Checking and cancelling an order",
       "주문 상태를 보고 필요하면 취소·문의한다.", "Follow an order and cancel or ask about it if needed.", 60),
    _c("D04", "daily", "kiosk", "패스트푸드점 키오스크", "Fast-food kiosks",
       "메뉴를 고르고 세트·수량을 바꿔 카드로 결제한다.", "Choose a meal, change set and quantity, pay by card."),
    _c("D05", "daily", "kiosk", "카페 키오스크", "Café kiosks",
       "음료 옵션을 고르고 포장·매장 선택 후 결제한다.", "Choose drink options, eat-in or take-away, and pay.", 60),
    _c("D06", "daily", "kiosk", "병원 무인 접수기", "Hospital self check-in",
       "신분 확인 후 진료 접수와 수납을 스스로 한다.", "Identify yourself, check in and pay at the machine."),
    _c("D07", "daily", "kiosk", "기차·버스표 발매기", "Train and bus ticket machines",
       "출발지·도착지·시간을 골라 표를 산다.", "Choose route and time and buy a ticket."),
    _c("D08", "daily", "qr_checkin", "QR 코드 찍기", "Scanning QR codes",
       "카메라로 QR 코드를 찍어 안내 화면을 연다.", "Open a notice by scanning a QR code.", 60),
    _c("D09", "daily", "qr_checkin", "QR 체크인과 전자출입", "QR check-in",
       "출입 확인용 QR을 띄워 입구에서 확인받는다.", "Show an entry QR code at a venue entrance.", 60),
    _c("D10", "daily", "mobile_payment", "간편결제 등록하기", "Setting up mobile payment",
       "간편결제에 카드를 등록하고 비밀번호를 정한다.", "Register a card in a mobile wallet and set a PIN."),
    _c("D11", "daily", "mobile_payment", "인터넷 쇼핑 주문", "Shopping online",
       "상품을 비교해 장바구니에 담고 주문한다.", "Compare items, fill the basket and order."),
    _c("D12", "daily", "mobile_payment", "택배 조회와 반품", "Tracking and returning parcels",
       "배송 상황을 확인하고 반품을 신청한다.", "Track a parcel and request a return.", 60),
    _c("D13", "daily", "mobile_payment", "모바일 선물하기", "Sending a gift by phone",
       "모바일 상품권을 골라 보내고 받은 선물을 쓴다.", "Send a mobile gift voucher and use one received.", 60),
    _c("D14", "daily", "mobile_payment", "수상한 문자 구별하기", "Spotting suspicious texts",
       "택배·경조사를 사칭한 문자의 링크를 누르지 않는다.", "Leave links in fake parcel or event texts unopened.", 60),
    # 심화 (advanced) — 12
    _c("A01", "advanced", "video_meeting", "줌 설치와 회의 참여", "Installing Zoom and joining",
       "줌을 설치하고 초대 링크로 회의에 들어간다.", "Install Zoom and join from an invitation link."),
    _c("A02", "advanced", "video_meeting", "화상회의 화면과 소리", "Sound and picture in meetings",
       "마이크·카메라를 켜고 끄며 화면 보기를 바꾼다.", "Switch microphone and camera, change the view.", 60),
    _c("A03", "advanced", "video_meeting", "내가 여는 화상 모임", "Hosting a video meeting",
       "회의를 예약해 가족·모임에 링크를 보낸다.", "Schedule a meeting and send the link to others."),
    _c("A04", "advanced", "mobile_banking", "은행 앱 시작하기", "Getting started with a bank app",
       "은행 앱을 설치하고 본인 인증과 간편 로그인을 설정한다.", "Install a bank app, verify identity, set quick login."),
    _c("A05", "advanced", "mobile_banking", "잔액과 거래 내역 보기", "Balance and transactions",
       "계좌 잔액과 최근 입출금 내역을 확인한다.", "Read the balance and recent payments in and out.", 60),
    _c("A06", "advanced", "mobile_banking", "모바일 송금", "Sending money by phone",
       "받는 사람 계좌를 확인하고 안전하게 돈을 보낸다.", "Check the payee's account and send money safely."),
    _c("A07", "advanced", "mobile_banking", "보이스피싱 막기", "Stopping voice phishing",
       "기관 사칭·대출 사기 전화를 알아보고 신고한다.", "Recognise impostor and loan-fraud calls and report them."),
    _c("A08", "advanced", "o2o", "택시 호출 앱", "Taxi apps",
       "출발·도착지를 정해 택시를 부르고 요금을 낸다.", "Set pick-up and destination, call a taxi and pay."),
    _c("A09", "advanced", "o2o", "병원·식당 예약 앱", "Booking apps",
       "앱에서 진료나 식사 시간을 예약하고 변경한다.", "Book, change or cancel a clinic or restaurant slot."),
    _c("A10", "advanced", "o2o", "동네 생활 서비스 앱", "Neighbourhood service apps",
       "세탁·장보기 같은 생활 서비스를 앱으로 신청한다.", "Order everyday services such as laundry or groceries.", 60),
    _c("A11", "advanced", "public_services", "정부24 증명서 발급", "Certificates from Gov24",
       "본인 인증 후 주민등록등본 등 증명서를 발급받는다.", "Verify identity and issue a resident certificate."),
    _c("A12", "advanced", "public_services", "공공시설 온라인 예약", "Booking public facilities",
       "서울시 공공서비스 예약으로 강좌·시설을 예약한다.", "Reserve a public class or facility online."),
)

# Courses made with partners (a bank, public bodies); kind "partner".
PARTNER_COURSES: tuple[Content, ...] = (
    Content("P01", "advanced", "mobile_banking", "협력 은행 앱으로 하는 모바일 뱅킹",
            "Mobile banking with a partner bank's app",
            "협력 은행 앱에서 조회·이체·자동이체를 직접 해 본다.",
            "Check, transfer and set up a standing order in the partner bank's app.",
            90, False, "협력 은행", "Partner bank"),
    Content("P02", "daily", "mobile_payment", "휴대폰으로 수도요금 내기", "Paying the water bill by phone",
            "고지서 번호로 수도요금을 조회하고 모바일로 낸다.",
            "Look up the water bill by its number and pay it on the phone.",
            60, False, "서울시 상수도사업본부", "Seoul Waterworks"),
    Content("P03", "advanced", "public_services", "정부24 민원 신청", "Civil applications on Gov24",
            "자주 쓰는 민원을 찾아 온라인으로 신청하고 결과를 받는다.",
            "Find a common civil application, submit it online and get the result.",
            90, False, "행정안전부 정부24", "Gov24"),
    Content("P04", "advanced", "o2o", "따릉이 앱으로 자전거 빌리기", "Renting a Ttareungi bike",
            "따릉이 앱에서 이용권을 사고 대여·반납한다.",
            "Buy a pass in the Ttareungi app, rent and return a bike.",
            60, False, "서울시설공단", "Seoul Facilities Corporation"),
    Content("P05", "daily", "mobile_payment", "기업과 함께하는 모바일 장보기", "Mobile grocery shopping with a partner",
            "협력 기업의 쇼핑 앱으로 장보기를 주문하고 받는다.",
            "Order groceries in a partner company's shopping app.",
            90, False, "협력 기업", "Partner company"),
)

# What the education robots teach in district classes (seniors and children).
ROBOT_PROGRAMMES = (
    ("kakaotalk", "카카오톡 사용법", "Using KakaoTalk", "senior"),
    ("voice_phishing", "보이스피싱 예방", "Preventing voice phishing", "senior"),
    ("storytelling", "동화 구연", "Storytelling", "child"),
    ("repetition", "1:1 수업 복습", "Repeating a 1:1 lesson", "senior"),
)


def by_code(code: str) -> Content:
    for content in CONTENTS + PARTNER_COURSES:
        if content.code == code:
            return content
    raise KeyError(code)


def for_skills(skills: list[str], level: str | None = None) -> list[Content]:
    """Contents that teach any of ``skills`` (optionally only of ``level``), in order."""
    wanted = set(skills)
    return [c for c in CONTENTS if c.skill in wanted and (level is None or c.level == level)]
