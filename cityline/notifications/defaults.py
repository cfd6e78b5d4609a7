# ruff: noqa: RUF001 - Arabic text: its letters are meant, not look-alikes of Latin ones
"""The messages' words as the city first gets them: every event in English, Spanish and Arabic.
Installed by migration and by the demo; the city edits them in the admin afterwards."""

_FOOTER = {
    "en": "You get this e-mail because you asked for news of this request.\n"
    "To stop these e-mails: $stop_link\n",
    "es": "Recibe este correo porque pidió noticias de esta solicitud.\n"
    "Para no recibir más: $stop_link\n",
    "ar": "تصلك هذه الرسالة لأنك طلبت أخبار هذا الطلب.\nلإيقاف هذه الرسائل: $stop_link\n",
}

DEFAULTS = {
    ("follow_confirm", "en"): (
        "Confirm: follow request $tracking_number",
        "Hello,\n\n"
        "Someone (we hope it was you) asked to get e-mails about request $tracking_number "
        "($service_name).\n\n"
        'To confirm, open this link and press "Confirm":\n$confirm_link\n\n'
        "If you did not ask, do nothing: you will get no more e-mails about it.\n\n"
        "See the request: $tracking_link\n",
    ),
    ("follow_confirm", "es"): (
        "Confirme: seguir la solicitud $tracking_number",
        "Hola:\n\n"
        "Alguien (esperamos que usted) pidió recibir correos sobre la solicitud "
        "$tracking_number ($service_name).\n\n"
        "Para confirmarlo, abra este enlace y pulse «Confirmar»:\n$confirm_link\n\n"
        "Si no lo pidió, no haga nada: no recibirá más correos sobre ella.\n\n"
        "Vea la solicitud: $tracking_link\n",
    ),
    ("follow_confirm", "ar"): (
        "تأكيد متابعة الطلب $tracking_number",
        "مرحبًا،\n\n"
        "طلب أحدهم (ونأمل أن تكون أنت) تلقي رسائل بريد إلكتروني عن الطلب $tracking_number "
        "($service_name).\n\n"
        "للتأكيد، افتح هذا الرابط واضغط على «تأكيد»:\n$confirm_link\n\n"
        "إن لم تطلب ذلك، فلا تفعل شيئًا: لن تصلك رسائل أخرى عنه.\n\n"
        "اطّلع على الطلب: $tracking_link\n",
    ),
    ("acknowledged", "en"): (
        "Request $tracking_number: the city is on it",
        "Hello,\n\n"
        "The city has received request $tracking_number ($service_name) and is handling it.\n"
        "Date the city aims for: $due_date\n$note\n\n"
        "Follow the request here: $tracking_link\n\n" + _FOOTER["en"],
    ),
    ("acknowledged", "es"): (
        "Solicitud $tracking_number: la ciudad ya se ocupa",
        "Hola:\n\n"
        "La ciudad recibió la solicitud $tracking_number ($service_name) y ya se ocupa de ella.\n"
        "Fecha prevista: $due_date\n$note\n\n"
        "Siga la solicitud aquí: $tracking_link\n\n" + _FOOTER["es"],
    ),
    ("acknowledged", "ar"): (
        "الطلب $tracking_number: المدينة تعمل عليه",
        "مرحبًا،\n\n"
        "استلمت المدينة الطلب $tracking_number ($service_name) وتعمل عليه الآن.\n"
        "الموعد المتوقع: $due_date\n$note\n\n"
        "تابع الطلب هنا: $tracking_link\n\n" + _FOOTER["ar"],
    ),
    ("public_update", "en"): (
        "Request $tracking_number: an update",
        "Hello,\n\n"
        "There is news about request $tracking_number ($service_name).\n\n"
        "Status: $status\n$note\n\n"
        "Date the city aims for: $due_date\n"
        "Follow the request here: $tracking_link\n\n" + _FOOTER["en"],
    ),
    ("public_update", "es"): (
        "Solicitud $tracking_number: novedades",
        "Hola:\n\n"
        "Hay novedades sobre la solicitud $tracking_number ($service_name).\n\n"
        "Estado: $status\n$note\n\n"
        "Fecha prevista: $due_date\n"
        "Siga la solicitud aquí: $tracking_link\n\n" + _FOOTER["es"],
    ),
    ("public_update", "ar"): (
        "الطلب $tracking_number: مستجدات",
        "مرحبًا،\n\n"
        "هناك مستجدات بشأن الطلب $tracking_number ($service_name).\n\n"
        "الحالة: $status\n$note\n\n"
        "الموعد المتوقع: $due_date\n"
        "تابع الطلب هنا: $tracking_link\n\n" + _FOOTER["ar"],
    ),
    ("closed", "en"): (
        "Request $tracking_number is closed",
        "Hello,\n\n"
        "Request $tracking_number ($service_name) is closed: $resolution.\n$note\n\n"
        "See the request: $tracking_link\n\n"
        "Thank you for helping the city. If the problem comes back, call 311 or report it "
        "again.\n\n" + _FOOTER["en"],
    ),
    ("closed", "es"): (
        "Solicitud $tracking_number cerrada",
        "Hola:\n\n"
        "La solicitud $tracking_number ($service_name) está cerrada: $resolution.\n$note\n\n"
        "Vea la solicitud: $tracking_link\n\n"
        "Gracias por ayudar a la ciudad. Si el problema vuelve, llame al 311 o repórtelo de "
        "nuevo.\n\n" + _FOOTER["es"],
    ),
    ("closed", "ar"): (
        "تم إغلاق الطلب $tracking_number",
        "مرحبًا،\n\n"
        "تم إغلاق الطلب $tracking_number ($service_name): $resolution.\n$note\n\n"
        "اطّلع على الطلب: $tracking_link\n\n"
        "شكرًا لمساعدتك المدينة. إذا عادت المشكلة، فاتصل بالرقم 311 أو أبلغ عنها من جديد.\n\n"
        + _FOOTER["ar"],
    ),
    ("area_confirm", "en"): (
        "Confirm: news of $topic",
        "Hello,\n\n"
        "Someone (we hope it was you) asked to get e-mails about new requests: $topic, "
        "$frequency.\n\n"
        'To confirm, open this link and press "Confirm":\n$confirm_link\n\n'
        "If you did not ask, do nothing: you will get no more e-mails about it.\n",
    ),
    ("area_confirm", "es"): (
        "Confirme: noticias de $topic",
        "Hola:\n\n"
        "Alguien (esperamos que usted) pidió recibir correos sobre nuevas solicitudes: $topic, "
        "$frequency.\n\n"
        "Para confirmarlo, abra este enlace y pulse «Confirmar»:\n$confirm_link\n\n"
        "Si no lo pidió, no haga nada: no recibirá más correos sobre ello.\n",
    ),
    ("area_confirm", "ar"): (
        "تأكيد: أخبار $topic",
        "مرحبًا،\n\n"
        "طلب أحدهم (ونأمل أن تكون أنت) تلقي رسائل بريد إلكتروني عن الطلبات الجديدة: $topic، "
        "$frequency.\n\n"
        "للتأكيد، افتح هذا الرابط واضغط على «تأكيد»:\n$confirm_link\n\n"
        "إن لم تطلب ذلك، فلا تفعل شيئًا: لن تصلك رسائل أخرى عنه.\n",
    ),
    ("area_new_request", "en"): (
        "New request: $service_name ($topic)",
        "Hello,\n\n"
        "A new request was made: $service_name, $tracking_number.\n"
        "Follow it here: $tracking_link\n\n"
        "You get this e-mail because you subscribed to $topic.\n"
        "To stop these e-mails: $stop_link\n",
    ),
    ("area_new_request", "es"): (
        "Nueva solicitud: $service_name ($topic)",
        "Hola:\n\n"
        "Se hizo una nueva solicitud: $service_name, $tracking_number.\n"
        "Sígala aquí: $tracking_link\n\n"
        "Recibe este correo porque se suscribió a $topic.\n"
        "Para no recibir más: $stop_link\n",
    ),
    ("area_new_request", "ar"): (
        "طلب جديد: $service_name ($topic)",
        "مرحبًا،\n\n"
        "قُدّم طلب جديد: $service_name، $tracking_number.\n"
        "تابعه هنا: $tracking_link\n\n"
        "تصلك هذه الرسالة لأنك اشتركت في $topic.\n"
        "لإيقاف هذه الرسائل: $stop_link\n",
    ),
    ("area_digest", "en"): (
        "This week: $request_count new requests ($topic)",
        "Hello,\n\n"
        "New requests this week, $topic: $request_count.\n\n"
        "$request_list\n\n"
        "See them all on the map: $neighborhood_link\n\n"
        "You get this e-mail because you subscribed to $topic.\n"
        "To stop these e-mails: $stop_link\n",
    ),
    ("area_digest", "es"): (
        "Esta semana: $request_count solicitudes nuevas ($topic)",
        "Hola:\n\n"
        "Solicitudes nuevas esta semana, $topic: $request_count.\n\n"
        "$request_list\n\n"
        "Véalas todas en el mapa: $neighborhood_link\n\n"
        "Recibe este correo porque se suscribió a $topic.\n"
        "Para no recibir más: $stop_link\n",
    ),
    ("area_digest", "ar"): (
        "هذا الأسبوع: طلبات جديدة ($topic): $request_count",
        "مرحبًا،\n\n"
        "الطلبات الجديدة هذا الأسبوع، $topic: $request_count.\n\n"
        "$request_list\n\n"
        "اطّلع عليها كلها على الخريطة: $neighborhood_link\n\n"
        "تصلك هذه الرسالة لأنك اشتركت في $topic.\n"
        "لإيقاف هذه الرسائل: $stop_link\n",
    ),
    ("survey_contact", "en"): (
        "How did we do? One question about your contact with 311",
        "Hello,\n\n"
        "You were in touch with the city's 311 service. How well were you served?\n"
        "Answer in one click (it takes a few seconds):\n$survey_link\n\n"
        "Thank you: your answer helps the city serve everyone better.\n\n"
        "Never to be asked again: $stop_link\n",
    ),
    ("survey_contact", "es"): (
        "¿Qué tal lo hicimos? Una pregunta sobre su contacto con el 311",
        "Hola:\n\n"
        "Usted se comunicó con el servicio 311 de la ciudad. ¿Qué tan bien le atendimos?\n"
        "Responda con un clic (tarda unos segundos):\n$survey_link\n\n"
        "Gracias: su respuesta ayuda a la ciudad a atender mejor a todos.\n\n"
        "Para que no se lo pregunten más: $stop_link\n",
    ),
    ("survey_contact", "ar"): (
        "كيف كانت خدمتنا؟ سؤال واحد عن تواصلك مع 311",
        "مرحبًا،\n\n"
        "تواصلت مع خدمة 311 في المدينة. ما مدى رضاك عن الخدمة التي تلقيتها؟\n"
        "أجب بنقرة واحدة (يستغرق ثوانيَ معدودة):\n$survey_link\n\n"
        "شكرًا لك: إجابتك تساعد المدينة على خدمة الجميع بشكل أفضل.\n\n"
        "لعدم تلقي هذا السؤال مجددًا: $stop_link\n",
    ),
    ("survey_service", "en"): (
        "Request $tracking_number: was it fixed?",
        "Hello,\n\n"
        "The city closed request $tracking_number ($service_name). Was it fixed?\n"
        "Tell us in one click; if it was not, the city looks at it again:\n$survey_link\n\n"
        "See the request: $tracking_link\n\n"
        "Never to be asked again: $stop_link\n",
    ),
    ("survey_service", "es"): (
        "Solicitud $tracking_number: ¿se resolvió?",
        "Hola:\n\n"
        "La ciudad cerró la solicitud $tracking_number ($service_name). ¿Se resolvió?\n"
        "Díganoslo con un clic; si no se resolvió, la ciudad la revisa de nuevo:\n"
        "$survey_link\n\n"
        "Vea la solicitud: $tracking_link\n\n"
        "Para que no se lo pregunten más: $stop_link\n",
    ),
    ("survey_service", "ar"): (
        "الطلب $tracking_number: هل حُلّت المشكلة؟",
        "مرحبًا،\n\n"
        "أغلقت المدينة الطلب $tracking_number ($service_name). هل حُلّت المشكلة؟\n"
        "أخبرنا بنقرة واحدة؛ وإن لم تُحل، تنظر المدينة فيها من جديد:\n$survey_link\n\n"
        "اطّلع على الطلب: $tracking_link\n\n"
        "لعدم تلقي هذا السؤال مجددًا: $stop_link\n",
    ),
}
