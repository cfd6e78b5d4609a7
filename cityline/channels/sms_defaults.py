"""The texts' words as the city first gets them, in English, Spanish and Arabic: installed by
migration and by the demo, edited in the admin afterwards (`SmsTemplate`), and what is said when
the city has deleted one. `$name` stands for a placeholder of `cityline.channels.sms_words`."""

DEFAULTS: dict[str, dict[str, str]] = {
    "ask_problem": {
        "en": "City 311: what is the problem? Describe it in a few words. Text STOP to stop.",
        "es": "311 de la ciudad: ¿cuál es el problema? Descríbalo en pocas palabras. "
        "Envíe STOP para no recibir más.",
        "ar": "خدمة 311 بالمدينة: ما المشكلة؟ صفها ببضع كلمات. أرسل STOP للإيقاف.",
    },
    "unknown_problem": {
        "en": "We could not tell which service that is. Describe it in other words, or call 311.",
        "es": "No pudimos saber qué servicio es. Descríbalo con otras palabras o llame al 311.",
        "ar": "لم نتمكن من معرفة الخدمة المطلوبة. صفها بكلمات أخرى أو اتصل بـ 311.",
    },
    "ask_type": {
        "en": "Which is it? $choices. Reply with its number, or 0 for none of these.",
        "es": "¿Cuál es? $choices. Responda con su número, o 0 si no es ninguno.",
        "ar": "أيها تقصد؟ $choices. أرسل رقمها، أو 0 إن لم تكن أيًا منها.",
    },
    "ask_type_again": {
        "en": "Reply with a number from 1 to $count, or 0 for none of these.",
        "es": "Responda con un número del 1 al $count, o 0 si no es ninguno.",
        "ar": "أرسل رقمًا من 1 إلى $count، أو 0 إن لم تكن أيًا منها.",
    },
    "ask_place": {
        "en": "Where is it? Send the street address (e.g. 100 Main St) or share your location.",
        "es": "¿Dónde está? Envíe la dirección (p. ej. 100 Main St) o comparta su ubicación.",
        "ar": "أين تقع؟ أرسل العنوان (مثل 100 Main St) أو شارك موقعك.",
    },
    "place_unknown": {
        "en": "We could not find that address. Send the number and street, or share your location.",
        "es": "No encontramos esa dirección. Envíe el número y la calle, o comparta su ubicación.",
        "ar": "لم نجد هذا العنوان. أرسل الرقم واسم الشارع، أو شارك موقعك.",
    },
    "confirm_place": {
        "en": "Is it at $address? Reply YES, or send another address.",
        "es": "¿Está en $address? Responda SI, o envíe otra dirección.",
        "ar": "هل هي في $address؟ أرسل نعم، أو أرسل عنوانًا آخر.",
    },
    "filed": {
        "en": "Thank you. Your request number is $number.",
        "es": "Gracias. Su número de solicitud es $number.",
        "ar": "شكرًا. رقم طلبك هو $number.",
    },
    "due": {
        "en": "The city aims to respond by $day.",
        "es": "La ciudad prevé responder antes del $day.",
        "ar": "تهدف المدينة إلى الرد بحلول $day.",
    },
    "not_filed": {
        "en": "We could not file it ($reason). Please call 311.",
        "es": "No pudimos registrarlo ($reason). Llame al 311, por favor.",
        "ar": "لم نتمكن من تسجيله ($reason). يرجى الاتصال بـ 311.",
    },
    "status": {
        "en": "$number ($service): $status.",
        "es": "$number ($service): $status.",
        "ar": "$number ($service): $status.",
    },
    "status_unknown": {
        "en": "No request has the number $number.",
        "es": "Ninguna solicitud tiene el número $number.",
        "ar": "لا يوجد طلب بالرقم $number.",
    },
    "status_how": {
        "en": "Send STATUS and the request number, e.g. STATUS $example.",
        "es": "Envíe STATUS y el número de solicitud, p. ej. STATUS $example.",
        "ar": "أرسل STATUS ورقم الطلب، مثل STATUS $example.",
    },
    "stopped": {
        "en": "You will get no more texts from City 311. Text START to get them again.",
        "es": "No recibirá más mensajes del 311 de la ciudad. Envíe START para volver a "
        "recibirlos.",
        "ar": "لن تصلك رسائل أخرى من خدمة 311. أرسل START لاستئنافها.",
    },
    "timed_out": {
        "en": "We did not hear back, so this conversation has ended. Text us again to report "
        "a problem.",
        "es": "No recibimos respuesta, así que esta conversación terminó. Escríbanos de nuevo "
        "para informar un problema.",
        "ar": "لم يصلنا رد، لذا انتهت هذه المحادثة. راسلنا مجددًا للإبلاغ عن مشكلة.",
    },
    "survey_contact": {
        "en": "City 311: how well were you served today? Reply 1 (very badly) to 5 (very well), "
        "or answer with a comment: $link",
        "es": "311 de la ciudad: ¿qué tan bien le atendimos hoy? Responda del 1 (muy mal) al 5 "
        "(muy bien), o responda con un comentario: $link",
        "ar": "خدمة 311 بالمدينة: ما مدى رضاك عن خدمتنا اليوم؟ أرسل رقمًا من 1 (سيئة جدًا) إلى 5 "
        "(ممتازة)، أو أجب مع تعليق: $link",
    },
    "survey_service": {
        "en": "City 311: request $number is closed. Was it fixed? Reply 1 if it was, 2 if not, "
        "or tell us more: $link",
        "es": "311 de la ciudad: la solicitud $number está cerrada. ¿Se resolvió? Responda 1 si "
        "se resolvió, 2 si no, o díganos más: $link",
        "ar": "خدمة 311 بالمدينة: أُغلق الطلب $number. هل حُلّت المشكلة؟ أرسل 1 إن حُلّت، أو 2 إن "
        "لم تُحل، أو أخبرنا بالمزيد: $link",
    },
    "survey_thanks": {
        "en": "City 311: thank you for your answer.",
        "es": "311 de la ciudad: gracias por su respuesta.",
        "ar": "خدمة 311 بالمدينة: شكرًا على إجابتك.",
    },
    "survey_help_contact": {
        "en": "To answer the survey, reply with one number from 1 (very badly) to 5 (very well).",
        "es": "Para responder la encuesta, envíe un solo número del 1 (muy mal) al 5 (muy bien).",
        "ar": "للإجابة عن الاستبيان، أرسل رقمًا واحدًا من 1 (سيئة جدًا) إلى 5 (ممتازة).",
    },
    "survey_help_service": {
        "en": "To answer the survey, reply 1 if it was fixed or 2 if it was not.",
        "es": "Para responder la encuesta, envíe 1 si se resolvió o 2 si no.",
        "ar": "للإجابة عن الاستبيان، أرسل 1 إن حُلّت المشكلة أو 2 إن لم تُحل.",
    },
}
