"""Load the 25 districts and the 2021 plan's programmes, budgets (천원) and targets.

Figures come from the foundation's 2021 work report to the Seoul council
(../shared/seed/000_d918727517d51c71.txt): 예산 총괄표 and each programme's 추진목표.
The data is written out here so the migration never changes when code changes.
"""

from django.db import migrations

DISTRICTS = [
    ("11110", "11010", "종로구", "Jongno-gu"), ("11140", "11020", "중구", "Jung-gu"),
    ("11170", "11030", "용산구", "Yongsan-gu"), ("11200", "11040", "성동구", "Seongdong-gu"),
    ("11215", "11050", "광진구", "Gwangjin-gu"), ("11230", "11060", "동대문구", "Dongdaemun-gu"),
    ("11260", "11070", "중랑구", "Jungnang-gu"), ("11290", "11080", "성북구", "Seongbuk-gu"),
    ("11305", "11090", "강북구", "Gangbuk-gu"), ("11320", "11100", "도봉구", "Dobong-gu"),
    ("11350", "11110", "노원구", "Nowon-gu"), ("11380", "11120", "은평구", "Eunpyeong-gu"),
    ("11410", "11130", "서대문구", "Seodaemun-gu"), ("11440", "11140", "마포구", "Mapo-gu"),
    ("11470", "11150", "양천구", "Yangcheon-gu"), ("11500", "11160", "강서구", "Gangseo-gu"),
    ("11530", "11170", "구로구", "Guro-gu"), ("11545", "11180", "금천구", "Geumcheon-gu"),
    ("11560", "11190", "영등포구", "Yeongdeungpo-gu"), ("11590", "11200", "동작구", "Dongjak-gu"),
    ("11620", "11210", "관악구", "Gwanak-gu"), ("11650", "11220", "서초구", "Seocho-gu"),
    ("11680", "11230", "강남구", "Gangnam-gu"), ("11710", "11240", "송파구", "Songpa-gu"),
    ("11740", "11250", "강동구", "Gangdong-gu"),
]

S1 = ("빅데이터(AI) 연구", "Big data and AI research")
S2 = ("비대면산업 육성", "Contact-free industry growth")
S3 = ("포용적 스마트도시 구현", "Inclusive smart city")
S4 = ("운영경비", "Operating costs")

# code, strategy, name_ko, name_en, budget (천원), app, summary_ko, summary_en, targets
# target: (label_ko, label_en, value or None, unit_ko, unit_en)
PROGRAMMES = [
    ("policy_research", S1, "스마트도시 정책연구·컨설팅", "Smart-city policy research and consulting",
     347_600, "",
     "고령층 디지털 접근성, 디지털 격차 실태, 시민 생활 밀착형 서비스를 연구합니다.",
     "Research on seniors' digital accessibility, the digital divide and everyday public services.",
     [("디지털 격차 실태조사 연령대 (50대·60대·70대 이상)", "Digital-divide survey age bands (50s, 60s, 70+)", 3, "개", ""),
      ("고령층 접근성 표준 (모바일웹·영상·키오스크)", "Senior accessibility standards (mobile web, video, kiosk)", 3, "종", "")]),
    ("data", S1, "데이터 창출, 분석 및 활용 확산", "Data creation, analysis and use",
     568_400, "sewer",
     "하수관로 AI 결함탐지, CCTV 입지분석, 따릉이 안전재고, 공공데이터 품질개선을 운영합니다.",
     "Runs sewer defect AI, CCTV siting, public-bike safety stock and open-data quality.",
     [("하수관로 결함탐지 정확도", "Sewer defect detection accuracy", 90, "% 이상", "% or more"),
      ("결함 유형", "Defect types", 18, "종", ""),
      ("추가 학습데이터 (서울시 4.5만 + NIA 24만)", "Extra training images (Seoul 45k + NIA 240k)", 285_000, "건", ""),
      ("하수관로 AI 시범 자치구", "Sewer AI pilot districts", 5, "개 구", " districts"),
      ("CCTV 설치기준 수립 자치구", "Districts with CCTV siting criteria", 25, "개 구", " districts"),
      ("서울데이터서포터즈", "Seoul Data Supporters", 100, "명", " people"),
      ("품질개선 공공데이터", "Open datasets improved", 30, "종", " datasets"),
      ("학습데이터셋 (이미지)", "Image training datasets", 5, "종", " datasets")]),
    ("overseas", S2, "기술기업 해외진출 지원", "Overseas expansion of tech companies",
     1_086_100, "",
     "서울시 스테이지 유레카로 기업을 뽑아 사전검증·투자유치를 돕고 CES 서울관을 엽니다.",
     "Selects companies through Stage Eureka for PoC and investment tracks and runs the CES Seoul pavilion.",
     [("스테이지 유레카 지원대상 기업", "Stage Eureka target companies", 50, "개사", " companies"),
      ("사전검증(PoC) 최종 선발", "PoC track finalists", 5, "개사", " companies"),
      ("투자유치 최종 선발", "Investment track finalists", 10, "개사", " companies"),
      ("CES 서울관 참가 기업", "CES Seoul pavilion companies", 50, "개사", " companies")]),
    ("smartcity_center", S2, "서울 스마트시티센터 운영", "Seoul Smart City Center",
     1_095_200, "",
     "도시기술실험실(Tech-Lab)과 비대면 기술기업 인큐베이션을 운영합니다.",
     "Runs the Tech-Lab test bed and incubation of contact-free technology companies.",
     [("비대면 산업 미니클러스터 입주 기업", "Mini-cluster companies", 5, "개사 이상", "+ companies")]),
    ("inclusion", S3, "디지털 소외계층 맞춤형 역량강화", "Digital skills for the digitally excluded",
     100_000, "inclusion",
     "어디나지원단이 어르신을 1:1로 가르치고(진단→밀착교육→로봇 반복→헬프데스크) 콘텐츠 40종을 운영합니다.",
     "Retired IT supporters teach seniors one to one (diagnosis → lessons → robot repetition → helpdesk) with 40 contents.",
     [("어디나지원단", "Supporters (어디나지원단)", 100, "명", " people"),
      ("교육 콘텐츠", "Teaching contents", 40, "종", ""),
      ("대상 연령", "Learner age", 65, "세 이상", "+ years")]),
    ("robots", S3, "로봇 활용 디지털 격차해소 교육", "Robot-assisted digital inclusion classes",
     95_400, "inclusion",
     "5개 자치구(강남·강동·관악·양천·중랑)에 구별 40대씩 교육로봇을 두고 어르신과 어린이를 가르칩니다.",
     "Education robots, 40 in each of five districts, teach seniors and children.",
     [("교육로봇", "Education robots", 200, "대", " robots"),
      ("자치구 연계 교육 인원", "Learners in district classes", 4_000, "명", " people"),
      ("어디나지원단 연계 교육 인원", "Learners in supporter-linked classes", 1_000, "명", " people")]),
    ("personnel", S4, "인건비", "Personnel", 2_814_743, "governance", "", "", []),
    ("administration", S4, "행정운영경비", "Administration", 1_274_240, "governance", "", "", []),
]


def load(apps, schema_editor):
    District = apps.get_model("core", "District")
    Programme = apps.get_model("core", "Programme")
    Target = apps.get_model("core", "ProgrammeTarget")
    for code, kostat, ko, en in DISTRICTS:
        District.objects.update_or_create(code=code, defaults={
            "kostat_code": kostat, "name_ko": ko, "name_en": en})
    for order, (code, strategy, ko, en, budget, app, sum_ko, sum_en, targets) in enumerate(PROGRAMMES):
        programme, _ = Programme.objects.update_or_create(code=code, defaults={
            "strategy_ko": strategy[0], "strategy_en": strategy[1], "name_ko": ko, "name_en": en,
            "budget_2021_thousand_krw": budget, "app_label": app, "summary_ko": sum_ko,
            "summary_en": sum_en, "sort_order": order})
        Target.objects.filter(programme=programme).delete()
        for t_order, (label_ko, label_en, value, unit_ko, unit_en) in enumerate(targets):
            Target.objects.create(programme=programme, label_ko=label_ko, label_en=label_en,
                                  value=value, unit_ko=unit_ko, unit_en=unit_en, sort_order=t_order)


def unload(apps, schema_editor):
    apps.get_model("core", "ProgrammeTarget").objects.all().delete()
    apps.get_model("core", "Programme").objects.all().delete()
    apps.get_model("core", "District").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
