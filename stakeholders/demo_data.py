"""The invented content of the demo stakeholder map (see stakeholders/demo.py):
the organisations, groups and roles, their places, flags and profiles. No
real person anywhere; every actor but the partners is marked "(demo)"."""

from __future__ import annotations

from dataclasses import dataclass

from partnerships.models import PartnerType
from stakeholders.models import ActorKind, Engagement, Stance

SEED = 73555
DEMO = " (demo)"

# The partners of the demo partnership (partnerships/management/commands/demo.py).
COMPANY = "Agroindustrias La Meseta S.A.S."
MAYOR = "Alcaldía Municipal de Planadas"
VICTIMS = "Asociación de Víctimas Renacer del Atá"
COOP = "Cooperativa de Mujeres Productoras Manos del Sur"
YOUTH = "Colectivo Juvenil Semillas de Paz"
UNIVERSITY = "Universidad Regional del Tolima — Observatorio de Paz"
FOUNDATION = "Fundación Caminos de Montaña"
# The partners that assess, in a fixed order, and how often each does.
ASSESSORS = {COMPANY: 5, MAYOR: 5, VICTIMS: 4, COOP: 4, YOUTH: 1, UNIVERSITY: 2, FOUNDATION: 2}
# Who records each partner's views: its representative; the facilitator records
# the others' (from the mapping workshops).
SPOKESPEOPLE = {COMPANY: "empresa", MAYOR: "alcaldia", VICTIMS: "victimas", COOP: "cooperativa"}

# Veredas: plausible names for the villages of the municipality.
VEREDAS = [
    *("El Diamante", "La Esmeralda", "Brisas del Atá", "Alto Cristales", "La Primavera"),
    *("Bellavista", "San Miguel del Atá", "El Recreo", "Los Naranjos", "Palmichal"),
    *("La Cumbre", "El Silencio", "Villa Nueva", "Las Mirlas", "El Porvenir", "La Aurora"),
    *("Agua Bonita", "El Mirador", "Santa Rita", "La Florida", "Monteloro", "El Cedral"),
    *("Puerto Limón", "La Estrella", "Los Guaduales", "Peñas Blancas", "El Jardín"),
    *("La Reforma", "Alto del Oso", "Quebrada Honda", "El Tambo", "La Libertad"),
    *("Río Negro Alto", "Las Delicias", "Campo Alegre", "Lomitas"),
]
# Places that are not veredas: (area code, locality).
PLACES = {
    "Planadas": ("73555", "Planadas (casco urbano)"),
    "Gaitania": ("73555", "Corregimiento de Gaitania"),
    "Bilbao": ("73555", "Corregimiento de Bilbao"),
    "Sur de Atá": ("73555", "Corregimiento de Sur de Atá"),
    "Ibagué": ("73001", "Ibagué"),
    "Chaparral": ("73168", "Chaparral"),
    "Ataco": ("73067", "Ataco"),
    "Rioblanco": ("73616", "Rioblanco"),
    "Bogotá": ("11001", "Bogotá D.C."),
}

KINDS = {"org": ActorKind.ORGANISATION, "grp": ActorKind.GROUP, "ind": ActorKind.INDIVIDUAL}
TYPES = {
    "com": PartnerType.COMMUNITY,
    "civ": PartnerType.CIVIL_SOCIETY,
    "gov": PartnerType.GOVERNMENT,
    "cmp": PartnerType.COMPANY,
    "fac": PartnerType.FACILITATOR,
    "-": "",
}

# profile | kind | partner type | segments | place | tags | name
# (every name but the partners' gets "(demo)")
PARTNER_ROWS = f"""
partner    | org | cmp | -                       | Planadas   | café,aguacate      | {COMPANY}
partner    | org | gov | -                       | Planadas   | vías,planeación    | {MAYOR}
partner    | org | com | victims,displaced       | Sur de Atá | memoria,retorno    | {VICTIMS}
partner    | org | com | women,rural_producers   | Bilbao     | café,panela        | {COOP}
partner    | grp | com | youth                   | Planadas   | emprendimiento     | {YOUTH}
partner    | org | fac | -                       | Ibagué     | investigación      | {UNIVERSITY}
partner    | org | civ | -                       | Planadas   | capacitación       | {FOUNDATION}
"""
ROWS = """
leader     | ind | com | women,victims           | El Diamante | mujeres,tierras   | Lideresa de la vereda El Diamante
leader     | ind | civ | women                   | Gaitania   | derechos humanos   | Defensora comunitaria de derechos humanos de Gaitania
leader     | ind | com | victims,displaced       | San Miguel del Atá | tierras    | Líder de restitución de tierras de San Miguel del Atá
leader     | ind | com | former_combatants       | Planadas   | reincorporación    | Vocero de los firmantes de paz de Planadas
leader     | ind | com | women,rural_producers   | Bilbao     | café,mujeres       | Lideresa de mujeres cafeteras de Bilbao
media      | ind | civ | -                       | Planadas   | comunicación       | Periodista de la emisora comunitaria
victims    | grp | com | victims,displaced       | Peñas Blancas | retorno         | Colectivo de Víctimas Retornadas de Peñas Blancas
victims    | grp | com | victims,displaced,rural_producers | Brisas del Atá | tierras | Comité de reclamantes de tierras del Atá
leader     | ind | com | women                   | La Esmeralda | vías             | Presidenta de la JAC de La Esmeralda
leader     | ind | com | indigenous              | Alto del Oso | territorio       | Gobernador del cabildo indígena de Alto del Oso
leader     | ind | com | women,older_people      | Bilbao     | salud              | Partera tradicional de Bilbao
school     | ind | gov | youth                   | La Cumbre  | educación          | Docente rural de la vereda La Cumbre
church     | ind | civ | -                       | Planadas   | iglesia            | Párroco de Planadas
local_gov  | ind | gov | rural_producers         | Gaitania   | política           | Concejal de la bancada rural
company    | ind | cmp | -                       | Planadas   | café               | Comerciante mayorista de café del casco urbano
leader     | ind | gov | women                   | Sur de Atá | salud              | Promotora de salud de Sur de Atá
leader     | ind | com | youth                   | Gaitania   | emprendimiento     | Líder juvenil de Gaitania
leader     | ind | com | indigenous,older_people | Alto del Oso | saberes          | Sabedor indígena del cabildo de Alto del Oso
leader     | ind | com | rural_producers         | Planadas   | vías               | Presidente de la asociación de juntas comunales
security   | ind | gov | -                       | Gaitania   | convivencia        | Inspector de policía de Gaitania
leader     | ind | com | disability              | Planadas   | inclusión          | Líder de personas con discapacidad
women      | org | com | women                   | Planadas   | mujeres            | Red Municipal de Mujeres
victims    | grp | com | women,victims           | Bilbao     | memoria            | Grupo de Mujeres Víctimas Tejiendo Memoria
victims    | grp | com | women,victims           | Planadas   | memoria,búsqueda   | Madres de Desaparecidos del Sur del Tolima
women      | grp | com | rural_producers,women   | Planadas   | comercio           | Mercado Campesino de los Sábados
youth      | grp | com | youth                   | Planadas   | cultura            | Colectivo Juvenil Arte y Montaña
youth      | grp | com | youth                   | Planadas   | iglesia            | Grupo Juvenil Parroquial
youth      | grp | com | youth                   | Sur de Atá | deporte            | Escuela de Fútbol Semillero del Atá
youth      | grp | com | youth                   | Gaitania   | comunicación       | Colectivo de Comunicación Ojo Rural
youth      | grp | com | youth                   | Planadas   | participación      | Consejo Municipal de Juventud
youth      | grp | com | youth                   | Planadas   | -                  | Grupo Scout de Planadas
youth      | grp | com | youth                   | Bilbao     | emprendimiento     | Red de Jóvenes Emprendedores
youth      | grp | com | youth                   | Agua Bonita | agua              | Jóvenes Rurales por el Agua
youth      | grp | com | youth                   | Planadas   | cultura            | Colectivo de Hip Hop Voces del Barrio
youth      | grp | com | youth                   | Gaitania   | educación          | Semillero de Investigación del Colegio
youth      | grp | com | youth,rural_producers   | Monteloro  | café               | Jóvenes Cafeteros de Monteloro
youth      | grp | com | youth,rural_producers   | El Cedral  | café               | Jóvenes Cafeteros de El Cedral
youth      | grp | com | youth,rural_producers   | La Aurora  | café               | Jóvenes Cafeteros de La Aurora
youth      | grp | com | youth                   | Bilbao     | deporte            | Comité de Deportes de Bilbao
victims    | grp | com | youth,victims           | Planadas   | memoria            | Red de Jóvenes Víctimas Sembrando Futuro
older      | grp | com | older_people            | Planadas   | adulto mayor       | Club de Adultos Mayores Años Dorados
older      | grp | com | older_people            | Gaitania   | adulto mayor       | Grupo de Adultos Mayores de Gaitania
older      | org | gov | older_people            | Planadas   | adulto mayor       | Centro de Vida del Adulto Mayor
older      | grp | com | older_people            | Planadas   | adulto mayor       | Asociación de Pensionados del Sur del Tolima
older      | grp | com | older_people            | Bilbao     | cultura            | Grupo de Danzas de Adultos Mayores
older      | grp | com | older_people,rural_producers | Bilbao | saberes           | Sabedores Campesinos de Bilbao
indigenous | org | com | indigenous              | Alto del Oso | territorio       | Cabildo Indígena de Alto del Oso
indigenous | grp | com | indigenous              | Alto del Oso | territorio       | Guardia Indígena del Cabildo de Alto del Oso
indigenous | grp | com | indigenous,women        | Alto del Oso | artesanía        | Asociación de Artesanas Indígenas
indigenous | org | com | indigenous,youth        | Alto del Oso | educación        | Escuela Propia de Saberes Indígenas
indigenous | grp | com | indigenous              | Gaitania   | territorio         | Comunidad Pijao en Proceso de Reconocimiento
afro       | grp | com | afro_descendant         | Puerto Limón | cultura          | Familias Afrodescendientes de Puerto Limón
afro       | grp | com | afro_descendant         | Bilbao     | cultura            | Colectivo Cultural Raíces Negras del Saldaña
afro       | grp | com | afro_descendant         | Bilbao     | territorio         | Consejo Comunitario en Formación del Saldaña
victims    | org | com | victims                 | Planadas   | participación      | Mesa Municipal de Participación de Víctimas
victims    | org | com | victims                 | Bilbao     | víctimas           | Asociación de Víctimas Esperanza de Bilbao
victims    | org | com | victims,disability      | Planadas   | minas              | Asociación de Familias Víctimas de Minas
victims    | grp | com | victims                 | Sur de Atá | memoria            | Grupo de Memoria Histórica Nunca Más
victims    | grp | com | victims                 | Gaitania   | víctimas           | Comité de Víctimas de Gaitania
victims    | org | com | victims,displaced       | Sur de Atá | restitución        | Asociación de Víctimas de Sur de Atá
victims    | org | com | victims,rural_producers | La Reforma | tierras            | Asociación de Víctimas Campesinas de La Reforma
displaced  | grp | com | displaced,victims       | El Silencio | retorno           | Comité de Familias Retornadas de El Silencio
displaced  | grp | com | displaced,victims       | Las Mirlas | retorno            | Comité de Familias Retornadas de Las Mirlas
displaced  | grp | com | displaced,victims       | Santa Rita | retorno            | Comité de Familias Retornadas de Santa Rita
displaced  | grp | com | displaced,victims       | La Libertad | retorno           | Comité de Familias Retornadas de La Libertad
displaced  | grp | com | displaced,victims       | Quebrada Honda | retorno        | Comité de Familias Retornadas de Quebrada Honda
displaced  | grp | com | displaced               | Planadas   | vivienda           | Asociación de Desplazados Nuevo Amanecer
displaced  | grp | com | displaced               | Planadas   | vivienda           | Familias Reubicadas del Barrio La Esperanza
displaced  | grp | com | displaced               | Planadas   | vivienda           | Asentamiento El Progreso
excombatants | org | com | former_combatants     | Planadas   | reincorporación    | Cooperativa Multiactiva de Firmantes de Paz del Sur del Tolima
excombatants | grp | com | former_combatants,rural_producers | Planadas | café       | Grupo Productivo de Café de Reincorporados
excombatants | grp | com | former_combatants,women | Planadas | reincorporación    | Asociación de Mujeres Firmantes de Paz
excombatants | grp | com | former_combatants     | Ataco      | piscicultura       | Proyecto de Piscicultura de Firmantes
excombatants | grp | com | former_combatants,victims | Planadas | reconciliación   | Colectivo de Reconciliación Manos de Paz
disability | grp | com | disability              | Planadas   | inclusión          | Asociación de Personas con Discapacidad de Planadas
disability | grp | com | disability,women        | Planadas   | cuidado            | Grupo de Cuidadoras de Personas con Discapacidad
disability | grp | com | disability,youth        | Planadas   | deporte            | Club Deportivo Adaptado
jac        | org | com | -                       | Gaitania   | agua               | Acueducto Comunitario de Gaitania
jac        | org | com | rural_producers         | La Florida | agua               | Acueducto Veredal La Florida
jac        | grp | com | -                       | Gaitania   | riesgo             | Brigada Comunitaria de Gestión del Riesgo
producers  | org | com | rural_producers         | Bilbao     | agua,riego         | Asociación de Usuarios del Distrito de Riego de Bilbao
producers  | grp | com | rural_producers         | Sur de Atá | transporte         | Asociación de Arrieros del Atá
company    | org | cmp | -                       | Planadas   | café               | Trilladora El Grano de Oro
company    | org | cmp | -                       | Planadas   | café               | Comercializadora Café Alto Atá S.A.S.
company    | org | cmp | -                       | Gaitania   | café               | Compraventa de Café Don Grano
company    | org | cmp | -                       | Planadas   | café               | Tostadora Aroma de Montaña
company    | org | cmp | -                       | Bogotá     | café               | Exportadora de Cafés Especiales del Sur
company    | org | cmp | -                       | Planadas   | café               | Laboratorio de Calidad Taza de Montaña
company    | org | cmp | -                       | Chaparral  | aguacate           | Procesadora de Aguacate del Sur
company    | org | cmp | -                       | Planadas   | aguacate           | Agroindustrias El Mirador
company    | org | cmp | -                       | Planadas   | insumos            | Agroinsumos La Montaña
company    | org | cmp | -                       | Gaitania   | insumos            | Almacén Agropecuario El Campesino
company    | org | cmp | -                       | Ibagué     | insumos            | Distribuidora de Fertilizantes del Tolima
company    | org | cmp | -                       | Planadas   | insumos            | Vivero Agroforestal Semilla Viva
company    | org | cmp | -                       | Planadas   | transporte         | Transportes Veredales del Sur
company    | org | cmp | -                       | Chaparral  | transporte         | Transportadora Intermunicipal Río Atá
company    | org | cmp | -                       | Ibagué     | vías               | Constructora Vías de Montaña S.A.S.
company    | org | cmp | -                       | Planadas   | crédito            | Cooperativa de Ahorro y Crédito Planadas Solidaria
company    | org | cmp | -                       | Chaparral  | energía            | Empresa de Energía del Sur del Tolima
company    | org | cmp | -                       | Bogotá     | conectividad       | Operador de Telefonía e Internet Rural
company    | org | cmp | -                       | Gaitania   | turismo            | Ecoturismo Cañón del Atá
company    | org | cmp | -                       | Gaitania   | turismo            | Hospedaje Los Nevados
company    | org | cmp | -                       | Planadas   | comercio           | Supermercado Central Planadas
company    | org | cmp | -                       | Planadas   | comercio           | Estación de Servicio El Triunfo
company    | org | cmp | -                       | Planadas   | salud              | Droguería San Rafael
company    | org | cmp | -                       | Planadas   | comercio           | Asociación de Comerciantes de Planadas
company    | grp | cmp | -                       | Planadas   | transporte         | Gremio de Motocarreros de Planadas
company    | grp | cmp | -                       | Gaitania   | transporte         | Asociación de Mototaxistas Rurales
extractive | org | cmp | -                       | Gaitania   | madera             | Maderas y Aserrío El Roble
extractive | org | cmp | -                       | Planadas   | ganadería          | Ganadería La Esperanza
extractive | org | cmp | -                       | Bogotá     | minería            | Minera Andina de Exploraciones
local_gov  | org | gov | -                       | Planadas   | -                  | Concejo Municipal de Planadas
local_gov  | org | gov | -                       | Planadas   | derechos humanos   | Personería Municipal de Planadas
local_gov  | org | gov | women                   | Planadas   | familia            | Comisaría de Familia de Planadas
local_gov  | org | gov | rural_producers         | Planadas   | agro               | Secretaría de Agricultura y Desarrollo Rural Municipal
local_gov  | org | gov | -                       | Planadas   | -                  | Secretaría de Gobierno Municipal
local_gov  | org | gov | -                       | Planadas   | salud              | Secretaría de Salud Municipal
local_gov  | org | gov | -                       | Planadas   | salud              | Hospital Local de Planadas
local_gov  | org | gov | -                       | Bilbao     | salud              | Puesto de Salud de Bilbao
local_gov  | org | gov | rural_producers         | Planadas   | agro               | Consejo Municipal de Desarrollo Rural
local_gov  | org | gov | -                       | Planadas   | -                  | Registraduría Municipal
local_gov  | org | gov | youth                   | Planadas   | educación          | Núcleo Educativo de Planadas
national_gov | org | gov | rural_producers       | Ibagué     | agro               | Gobernación del Tolima — Secretaría de Desarrollo Agropecuario
national_gov | org | gov | victims               | Ibagué     | víctimas           | Gobernación del Tolima — Dirección de Víctimas
national_gov | org | gov | -                     | Ibagué     | tierras            | Agencia Nacional de Tierras — Unidad Regional
national_gov | org | gov | -                     | Chaparral  | PDET               | Agencia de Renovación del Territorio — Sur del Tolima
national_gov | org | gov | victims               | Ibagué     | víctimas           | Unidad de Víctimas — Dirección Territorial
national_gov | org | gov | former_combatants     | Ibagué     | reincorporación    | Agencia de Reincorporación — Grupo Territorial
national_gov | org | gov | youth                 | Chaparral  | formación          | Servicio Nacional de Aprendizaje — Aula Móvil
national_gov | org | gov | -                     | Ibagué     | ambiente           | Corporación Autónoma Regional del Tolima
national_gov | org | gov | rural_producers       | Planadas   | sanidad vegetal    | Instituto Agropecuario — Oficina Local
national_gov | org | gov | rural_producers       | Planadas   | crédito            | Banco de Fomento Agrario — Oficina Planadas
national_gov | org | gov | -                     | Ibagué     | derechos humanos   | Defensoría del Pueblo — Regional Tolima
security   | org | gov | -                       | Planadas   | seguridad          | Estación de Policía de Planadas
security   | org | gov | -                       | Rioblanco  | seguridad          | Batallón de Alta Montaña
school     | org | gov | youth                   | La Cumbre  | educación          | Institución Educativa Rural La Cumbre
school     | org | gov | youth                   | Bellavista | educación          | Institución Educativa Rural Bellavista
school     | org | gov | youth                   | El Porvenir | educación         | Institución Educativa Rural El Porvenir
school     | org | gov | youth                   | Agua Bonita | educación         | Institución Educativa Rural Agua Bonita
school     | org | gov | youth                   | Río Negro Alto | educación      | Institución Educativa Rural Río Negro Alto
school     | org | gov | youth,rural_producers   | Gaitania   | educación          | Colegio Agropecuario de Gaitania
school     | org | gov | -                       | Planadas   | primera infancia   | Centro de Desarrollo Infantil de Planadas
school     | grp | com | youth                   | Gaitania   | educación          | Asociación de Padres de Familia del Colegio de Gaitania
school     | grp | gov | youth                   | Planadas   | cultura            | Banda Municipal de Música
civil      | org | com | rural_producers         | Planadas   | vías               | Asociación Municipal de Juntas de Acción Comunal
civil      | org | civ | rural_producers         | Planadas   | café               | Comité Municipal de Cafeteros
youth      | org | com | youth                   | Planadas   | participación      | Plataforma Municipal de Juventudes
church     | org | civ | -                       | Planadas   | iglesia            | Parroquia Nuestra Señora del Carmen
church     | org | civ | -                       | Gaitania   | iglesia            | Iglesia Evangélica Fuente de Vida
church     | org | civ | victims                 | Chaparral  | iglesia            | Pastoral Social Diocesana
media      | org | civ | -                       | Planadas   | comunicación       | Emisora Comunitaria Voces del Atá
civil      | org | civ | rural_producers         | Planadas   | café               | Fundación Café y Paz
civil      | org | civ | women                   | Chaparral  | mujeres            | Corporación Tejido Rural
civil      | org | civ | victims,displaced       | Ibagué     | tierras            | Corporación Jurídica Tierra y Derechos
civil      | grp | civ | -                       | Planadas   | vías               | Veeduría Ciudadana de Obras Viales
civil      | org | civ | -                       | Gaitania   | ambiente           | Observatorio Ambiental de la Cuenca del Atá
civil      | grp | civ | youth                   | Gaitania   | ambiente           | Colectivo Ambiental Guardianes del Páramo
civil      | org | civ | youth                   | Planadas   | lectura            | Red de Bibliotecas Rurales
civil      | org | civ | youth                   | Planadas   | cultura            | Escuela de Música Notas de Montaña
civil      | org | civ | youth                   | Planadas   | deporte            | Club Deportivo Atlético Planadas
civil      | grp | civ | youth                   | Planadas   | cultura            | Grupo de Teatro Comunitario La Carreta
civil      | org | civ | -                       | Chaparral  | salud              | Fundación para la Salud Rural Andina
civil      | org | civ | -                       | Planadas   | planeación         | Consejo Territorial de Planeación
civil      | org | civ | rural_producers         | Chaparral  | café               | Centro de Investigación en Café de Altura
civil      | org | civ | -                       | Planadas   | riesgo             | Cuerpo de Bomberos Voluntarios de Planadas
civil      | org | civ | -                       | Planadas   | riesgo             | Defensa Civil — Junta Local
donor      | org | civ | -                       | Bogotá     | cooperación        | Agencia de Cooperación Horizonte Andino
donor      | org | civ | victims                 | Bogotá     | cooperación        | Programa de Cooperación para la Paz Rural
donor      | org | civ | youth                   | Ibagué     | emprendimiento     | Fondo Mixto de Emprendimiento del Sur del Tolima
"""

# Actors at risk if identified, and why (as the facilitator recorded it).
FLAGS = {
    "Lideresa de la vereda El Diamante": "Lideresa amenazada; no publicar su nombre.",
    "Defensora comunitaria de derechos humanos de Gaitania": (
        "Recibió amenazas por su trabajo de denuncia; nombre reservado."
    ),
    "Líder de restitución de tierras de San Miguel del Atá": (
        "Reclamante de tierras con esquema de protección; no identificar."
    ),
    "Vocero de los firmantes de paz de Planadas": (
        "Firmante de paz; riesgo de estigmatización y amenazas."
    ),
    "Lideresa de mujeres cafeteras de Bilbao": (
        "Amenazas tras denunciar cobros ilegales a productores; no publicar su nombre."
    ),
    "Periodista de la emisora comunitaria": "Periodista comunitario amenazado por sus reportajes.",
    "Colectivo de Víctimas Retornadas de Peñas Blancas": (
        "Familias retornadas sin garantías de seguridad; no revelar su ubicación."
    ),
    "Comité de reclamantes de tierras del Atá": (
        "Grupo en proceso de restitución; sus integrantes piden reserva."
    ),
}
# Whom the partners have engaged (True) or not yet (False), whatever their profile.
ENGAGED = {
    COOP: True,
    "Red Municipal de Mujeres": True,
    "Presidenta de la JAC de La Esmeralda": True,
    "Corporación Tejido Rural": True,
    "Lideresa de la vereda El Diamante": False,
    "Defensora comunitaria de derechos humanos de Gaitania": False,
    "Lideresa de mujeres cafeteras de Bilbao": False,
    "Partera tradicional de Bilbao": False,
    "Promotora de salud de Sur de Atá": False,
    "Grupo de Mujeres Víctimas Tejiendo Memoria": False,
    "Madres de Desaparecidos del Sur del Tolima": False,
    "Asociación de Mujeres Firmantes de Paz": False,
    "Grupo de Cuidadoras de Personas con Discapacidad": False,
    "Comisaría de Familia de Planadas": False,
}
DESCRIPTIONS = {
    COMPANY: "Cultivos de café especial y aguacate; compra café a productores de varias veredas.",
    MAYOR: "Secretaría de Planeación y oficina de enlace del programa de desarrollo territorial.",
    VICTIMS: "Víctimas del conflicto armado de las veredas del río Atá.",
    COOP: "Mujeres que producen y comercializan café y panela.",
    YOUTH: "Jóvenes del casco urbano y de veredas: emprendimiento y cultura.",
    UNIVERSITY: "Facilita la alianza como dinamizador independiente.",
    FOUNDATION: "ONG local de capacitación y veeduría.",
    "Lideresa de la vereda El Diamante": (
        "Impulsa la titulación de predios de mujeres cabeza de hogar."
    ),
    "Mesa Municipal de Participación de Víctimas": (
        "Espacio de representación de las organizaciones de víctimas ante la alcaldía."
    ),
    "Minera Andina de Exploraciones": "Tiene solicitudes de títulos de exploración en la parte alta.",
    "Constructora Vías de Montaña S.A.S.": "Contratista de las placas huella del programa de vías.",
}

# profile: influence, interest, capacity, likely stances, likely engagement levels
E, S = Engagement, Stance
PROFILES: dict[str, tuple[int, int, int, tuple[str, ...], tuple[str, ...]]] = {
    "partner": (4, 5, 4, (S.SUPPORTIVE,), (E.COLLABORATE, E.EMPOWER)),
    "jac": (3, 4, 2, (S.SUPPORTIVE, S.NEUTRAL), (E.INFORM, E.CONSULT, E.CONSULT, E.INVOLVE)),
    "producers": (3, 4, 3, (S.SUPPORTIVE, S.NEUTRAL), (E.INFORM, E.CONSULT, E.INVOLVE)),
    "women": (2, 4, 2, (S.SUPPORTIVE, S.NEUTRAL, S.UNKNOWN), (E.NONE, E.INFORM, E.CONSULT)),
    "youth": (2, 5, 2, (S.SUPPORTIVE, S.NEUTRAL), (E.INFORM, E.CONSULT, E.INVOLVE)),
    "older": (2, 3, 1, (S.NEUTRAL, S.UNKNOWN), (E.NONE, E.INFORM)),
    "indigenous": (3, 4, 2, (S.SCEPTICAL, S.NEUTRAL), (E.INFORM, E.CONSULT, E.CONSULT, E.INVOLVE)),
    "afro": (2, 3, 1, (S.NEUTRAL, S.UNKNOWN), (E.NONE, E.INFORM)),
    "victims": (3, 5, 2, (S.SUPPORTIVE, S.SCEPTICAL), (E.CONSULT, E.INVOLVE, E.INVOLVE)),
    "displaced": (2, 5, 1, (S.SUPPORTIVE, S.NEUTRAL), (E.INFORM, E.CONSULT, E.INVOLVE)),
    "excombatants": (2, 4, 2, (S.SUPPORTIVE, S.NEUTRAL), (E.INFORM, E.CONSULT)),
    "disability": (1, 4, 1, (S.NEUTRAL, S.UNKNOWN), (E.NONE, E.INFORM)),
    "company": (3, 3, 4, (S.NEUTRAL, S.SUPPORTIVE, S.SCEPTICAL), (E.NONE, E.INFORM, E.CONSULT)),
    "extractive": (4, 2, 5, (S.OPPOSED, S.SCEPTICAL), (E.NONE, E.INFORM)),
    "local_gov": (4, 3, 3, (S.SUPPORTIVE, S.NEUTRAL), (E.CONSULT, E.INVOLVE, E.COLLABORATE)),
    "national_gov": (5, 3, 5, (S.NEUTRAL, S.SUPPORTIVE), (E.INFORM, E.CONSULT, E.INVOLVE)),
    "security": (4, 2, 4, (S.NEUTRAL,), (E.INFORM,)),
    "civil": (3, 4, 3, (S.SUPPORTIVE, S.NEUTRAL), (E.CONSULT, E.INVOLVE, E.COLLABORATE)),
    "church": (4, 3, 2, (S.NEUTRAL, S.SUPPORTIVE), (E.INFORM, E.CONSULT)),
    "media": (4, 3, 2, (S.NEUTRAL, S.SUPPORTIVE), (E.INFORM, E.CONSULT, E.INVOLVE)),
    "donor": (4, 4, 5, (S.SUPPORTIVE,), (E.CONSULT, E.INVOLVE, E.COLLABORATE)),
    "school": (2, 4, 2, (S.SUPPORTIVE, S.NEUTRAL), (E.INFORM, E.CONSULT, E.INVOLVE)),
    "leader": (3, 5, 1, (S.SUPPORTIVE, S.NEUTRAL), (E.CONSULT, E.INVOLVE)),
}


@dataclass
class Spec:
    """One actor of the demo map, before it is written."""

    name: str
    kind: str
    partner_type: str
    profile: str
    segments: tuple[str, ...]
    place: str
    tags: tuple[str, ...]
    partner: str = ""
    description: str = ""
    flag: str = ""
    engaged: bool | None = None
    contact: bool = False
