"""The invented content of the demo stakeholder map (see stakeholders/demo.py):
the organisations and groups, their places, flags and profiles. No real person
and no real place: the municipality, Brumaverde, its corregimientos, veredas,
rivers and neighbours are invented. Actors are organisations and groups only,
never an office that one person holds, and every actor but the partners is
marked "(demo)"."""

from __future__ import annotations

from dataclasses import dataclass

from partnerships.management.commands.demo import HOME_CODE
from partnerships.models import PartnerType
from stakeholders.models import ActorKind, Engagement, Stance

SEED = 20260406
DEMO = " (demo)"

# The partners of the demo partnership (partnerships/management/commands/demo.py).
COMPANY = "Agroindustrias Brumaverde S.A.S."
MAYOR = "Alcaldía Municipal de Brumaverde"
VICTIMS = "Asociación de Víctimas Renacer del Ceniza"
COOP = "Cooperativa de Mujeres Productoras Manos de Brumaverde"
YOUTH = "Colectivo Juvenil Semillas de Brumaverde"
UNIVERSITY = "Universidad del Alto Ceniza — Observatorio de Paz"
FOUNDATION = "Fundación Caminos de Brumaverde"
# The partners that assess, in a fixed order, and how often each does.
ASSESSORS = {COMPANY: 5, MAYOR: 5, VICTIMS: 4, COOP: 4, YOUTH: 1, UNIVERSITY: 2, FOUNDATION: 2}
# Who records each partner's views: its representative; the facilitator records
# the others' (from the mapping workshops).
SPOKESPEOPLE = {COMPANY: "empresa", MAYOR: "alcaldia", VICTIMS: "victimas", COOP: "cooperativa"}

# Veredas: invented names for the villages of the municipality (checked against
# DANE's list of municipalities by tests/test_demo.py).
VEREDAS = [
    *("El Diamante", "La Esmeralda", "Brisas del Ceniza", "Alto Cristales", "Primavera Alta"),
    *("Bellavista", "Vega del Ceniza", "El Recreo", "Los Naranjos", "Palmichal"),
    *("Cumbre Alta", "El Silencio", "Villa Clara", "Las Mirlas", "El Porvenir", "La Aurora"),
    *("Agua Bonita", "El Mirador", "Santa Rita", "Las Orquídeas", "Monteloro", "El Cedral"),
    *("Puerto Arenillas", "El Lucero", "Los Guaduales", "Peñas Blancas", "Las Camelias"),
    *("La Reforma", "Alto del Oso", "Quebrada Fría", "El Tamboral", "La Libertad"),
    *("Río Oscuro", "Las Delicias", "Campo Verde", "Lomitas"),
]
# Places that are not veredas: (area code, locality). The corregimientos and the
# neighbouring municipalities are invented (codes: baseline/demo_places/).
PLACES = {
    "Brumaverde": (HOME_CODE, "Brumaverde (casco urbano)"),
    "Nogalito": (HOME_CODE, "Corregimiento de Nogalito"),
    "Cañaflor": (HOME_CODE, "Corregimiento de Cañaflor"),
    "Alto Ceniza": (HOME_CODE, "Corregimiento de Alto Ceniza"),
    "Villa Albor": ("00002", "Villa Albor"),
    "Peñalisa": ("00003", "Peñalisa"),
    "Monteandino": ("00004", "Monteandino"),
    "Valdelirios": ("00005", "Valdelirios"),
}

# Organisations and groups only: an individual on the map reads as one person,
# and a role of a small place names its holder.
KINDS = {"org": ActorKind.ORGANISATION, "grp": ActorKind.GROUP}
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
partner    | org | cmp | -                       | Brumaverde | café,aguacate      | {COMPANY}
partner    | org | gov | -                       | Brumaverde | vías,planeación    | {MAYOR}
partner    | org | com | victims,displaced       | Alto Ceniza | memoria,retorno   | {VICTIMS}
partner    | org | com | women,rural_producers   | Cañaflor   | café,panela        | {COOP}
partner    | grp | com | youth                   | Brumaverde | emprendimiento     | {YOUTH}
partner    | org | fac | -                       | Villa Albor | investigación     | {UNIVERSITY}
partner    | org | civ | -                       | Brumaverde | capacitación       | {FOUNDATION}
"""
ROWS = """
leader     | grp | com | women,victims           | El Diamante | mujeres,tierras   | Lideresas comunales de la vereda El Diamante
leader     | grp | civ | women                   | Nogalito   | derechos humanos   | Red de Defensoras Comunitarias de Derechos Humanos de Nogalito
leader     | grp | com | victims,displaced       | Vega del Ceniza | tierras       | Familias reclamantes de tierras de Vega del Ceniza
leader     | grp | com | former_combatants       | Brumaverde | reincorporación    | Firmantes de paz del casco urbano
leader     | grp | com | women,rural_producers   | Cañaflor   | café,mujeres       | Comité de Mujeres Cafeteras de Cañaflor
media      | grp | civ | -                       | Brumaverde | comunicación       | Equipo de reporteros de la emisora comunitaria
victims    | grp | com | victims,displaced       | Peñas Blancas | retorno         | Colectivo de Víctimas Retornadas de Peñas Blancas
victims    | grp | com | victims,displaced,rural_producers | Brisas del Ceniza | tierras | Comité de reclamantes de tierras del Ceniza
leader     | grp | com | women                   | La Esmeralda | vías             | Directiva de la JAC de La Esmeralda
leader     | grp | com | indigenous              | Alto del Oso | territorio       | Consejo de Mayores del Cabildo Indígena de Alto del Oso
leader     | grp | com | women,older_people      | Cañaflor   | salud              | Parteras tradicionales de Cañaflor
school     | grp | gov | youth                   | Cumbre Alta | educación         | Docentes rurales de la vereda Cumbre Alta
local_gov  | grp | gov | rural_producers         | Nogalito   | política           | Bancada rural del Concejo Municipal
company    | grp | cmp | -                       | Brumaverde | café               | Comerciantes mayoristas de café del casco urbano
leader     | grp | gov | women                   | Alto Ceniza | salud             | Promotoras de salud de Alto Ceniza
leader     | grp | com | youth                   | Nogalito   | emprendimiento     | Líderes juveniles de Nogalito
leader     | grp | com | indigenous,older_people | Alto del Oso | saberes          | Sabedores indígenas del Cabildo de Alto del Oso
leader     | grp | com | rural_producers         | Brumaverde | vías               | Directiva de la Asociación Municipal de Juntas Comunales
leader     | grp | com | disability              | Brumaverde | inclusión          | Comité por la Inclusión de Personas con Discapacidad
women      | org | com | women                   | Brumaverde | mujeres            | Red Municipal de Mujeres
victims    | grp | com | women,victims           | Cañaflor   | memoria            | Grupo de Mujeres Víctimas Tejiendo Memoria
victims    | grp | com | women,victims           | Brumaverde | memoria,búsqueda   | Madres de Desaparecidos de la Cuenca del Ceniza
women      | grp | com | rural_producers,women   | Brumaverde | comercio           | Mercado Campesino de los Sábados
youth      | grp | com | youth                   | Brumaverde | cultura            | Colectivo Juvenil Arte y Montaña
youth      | grp | com | youth                   | Brumaverde | iglesia            | Grupo Juvenil Parroquial
youth      | grp | com | youth                   | Alto Ceniza | deporte           | Escuela de Fútbol Semillero del Ceniza
youth      | grp | com | youth                   | Nogalito   | comunicación       | Colectivo de Comunicación Ojo Rural
youth      | grp | com | youth                   | Brumaverde | participación      | Consejo Municipal de Juventud
youth      | grp | com | youth                   | Brumaverde | -                  | Grupo Scout de Brumaverde
youth      | grp | com | youth                   | Cañaflor   | emprendimiento     | Red de Jóvenes Emprendedores
youth      | grp | com | youth                   | Agua Bonita | agua              | Jóvenes Rurales por el Agua
youth      | grp | com | youth                   | Brumaverde | cultura            | Colectivo de Hip Hop Voces del Barrio
youth      | grp | com | youth                   | Nogalito   | educación          | Semillero de Investigación del Colegio
youth      | grp | com | youth,rural_producers   | Monteloro  | café               | Jóvenes Cafeteros de Monteloro
youth      | grp | com | youth,rural_producers   | El Cedral  | café               | Jóvenes Cafeteros de El Cedral
youth      | grp | com | youth,rural_producers   | La Aurora  | café               | Jóvenes Cafeteros de La Aurora
youth      | grp | com | youth                   | Cañaflor   | deporte            | Comité de Deportes de Cañaflor
victims    | grp | com | youth,victims           | Brumaverde | memoria            | Red de Jóvenes Víctimas Sembrando Futuro
older      | grp | com | older_people            | Brumaverde | adulto mayor       | Club de Adultos Mayores Años Dorados
older      | grp | com | older_people            | Nogalito   | adulto mayor       | Grupo de Adultos Mayores de Nogalito
older      | org | gov | older_people            | Brumaverde | adulto mayor       | Centro de Vida del Adulto Mayor
older      | grp | com | older_people            | Brumaverde | adulto mayor       | Asociación de Pensionados de la Cordillera
older      | grp | com | older_people            | Cañaflor   | cultura            | Grupo de Danzas de Adultos Mayores
older      | grp | com | older_people,rural_producers | Cañaflor | saberes          | Sabedores Campesinos de Cañaflor
indigenous | org | com | indigenous              | Alto del Oso | territorio       | Cabildo Indígena de Alto del Oso
indigenous | grp | com | indigenous              | Alto del Oso | territorio       | Guardia Indígena del Cabildo de Alto del Oso
indigenous | grp | com | indigenous,women        | Alto del Oso | artesanía        | Asociación de Artesanas Indígenas
indigenous | org | com | indigenous,youth        | Alto del Oso | educación        | Escuela Propia de Saberes Indígenas
indigenous | grp | com | indigenous              | Nogalito   | territorio         | Comunidad Indígena en Proceso de Reconocimiento
afro       | grp | com | afro_descendant         | Puerto Arenillas | cultura      | Familias Afrodescendientes de Puerto Arenillas
afro       | grp | com | afro_descendant         | Cañaflor   | cultura            | Colectivo Cultural Raíces Negras del Lumbre
afro       | grp | com | afro_descendant         | Cañaflor   | territorio         | Consejo Comunitario en Formación del Río Lumbre
victims    | org | com | victims                 | Brumaverde | participación      | Mesa Municipal de Participación de Víctimas
victims    | org | com | victims                 | Cañaflor   | víctimas           | Asociación de Víctimas Esperanza de Cañaflor
victims    | org | com | victims,disability      | Brumaverde | minas              | Asociación de Familias Víctimas de Minas
victims    | grp | com | victims                 | Alto Ceniza | memoria           | Grupo de Memoria Histórica Nunca Más
victims    | grp | com | victims                 | Nogalito   | víctimas           | Comité de Víctimas de Nogalito
victims    | org | com | victims,displaced       | Alto Ceniza | restitución       | Asociación de Víctimas de Alto Ceniza
victims    | org | com | victims,rural_producers | La Reforma | tierras            | Asociación de Víctimas Campesinas de La Reforma
displaced  | grp | com | displaced,victims       | El Silencio | retorno           | Comité de Familias Retornadas de El Silencio
displaced  | grp | com | displaced,victims       | Las Mirlas | retorno            | Comité de Familias Retornadas de Las Mirlas
displaced  | grp | com | displaced,victims       | Santa Rita | retorno            | Comité de Familias Retornadas de Santa Rita
displaced  | grp | com | displaced,victims       | La Libertad | retorno           | Comité de Familias Retornadas de La Libertad
displaced  | grp | com | displaced,victims       | Quebrada Fría | retorno         | Comité de Familias Retornadas de Quebrada Fría
displaced  | grp | com | displaced               | Brumaverde | vivienda           | Asociación de Desplazados Nuevo Amanecer
displaced  | grp | com | displaced               | Brumaverde | vivienda           | Familias Reubicadas del Barrio Nuevo Horizonte
displaced  | grp | com | displaced               | Brumaverde | vivienda           | Asentamiento El Progreso
excombatants | org | com | former_combatants     | Brumaverde | reincorporación    | Cooperativa Multiactiva de Firmantes de Paz de Brumaverde
excombatants | grp | com | former_combatants,rural_producers | Brumaverde | café     | Grupo Productivo de Café de Reincorporados
excombatants | grp | com | former_combatants,women | Brumaverde | reincorporación  | Asociación de Mujeres Firmantes de Paz
excombatants | grp | com | former_combatants     | Peñalisa   | piscicultura       | Proyecto de Piscicultura de Firmantes
excombatants | grp | com | former_combatants,victims | Brumaverde | reconciliación | Colectivo de Reconciliación Manos de Paz
disability | grp | com | disability              | Brumaverde | inclusión          | Asociación de Personas con Discapacidad de Brumaverde
disability | grp | com | disability,women        | Brumaverde | cuidado            | Grupo de Cuidadoras de Personas con Discapacidad
disability | grp | com | disability,youth        | Brumaverde | deporte            | Club Deportivo Adaptado
jac        | org | com | -                       | Nogalito   | agua               | Acueducto Comunitario de Nogalito
jac        | org | com | rural_producers         | Las Orquídeas | agua            | Acueducto Veredal Las Orquídeas
jac        | grp | com | -                       | Nogalito   | riesgo             | Brigada Comunitaria de Gestión del Riesgo
producers  | org | com | rural_producers         | Cañaflor   | agua,riego         | Asociación de Usuarios del Distrito de Riego de Cañaflor
producers  | grp | com | rural_producers         | Alto Ceniza | transporte        | Asociación de Arrieros del Ceniza
company    | org | cmp | -                       | Brumaverde | café               | Trilladora El Grano de Oro
company    | org | cmp | -                       | Brumaverde | café               | Comercializadora Café Alto Ceniza S.A.S.
company    | org | cmp | -                       | Nogalito   | café               | Compraventa de Café Don Grano
company    | org | cmp | -                       | Brumaverde | café               | Tostadora Aroma de Montaña
company    | org | cmp | -                       | Villa Albor | café              | Exportadora de Cafés Especiales del Sur
company    | org | cmp | -                       | Brumaverde | café               | Laboratorio de Calidad Taza de Montaña
company    | org | cmp | -                       | Monteandino | aguacate          | Procesadora de Aguacate del Sur
company    | org | cmp | -                       | Brumaverde | aguacate           | Agroindustrias El Mirador
company    | org | cmp | -                       | Brumaverde | insumos            | Agroinsumos La Montaña
company    | org | cmp | -                       | Nogalito   | insumos            | Almacén Agropecuario El Campesino
company    | org | cmp | -                       | Villa Albor | insumos           | Distribuidora de Fertilizantes de la Cordillera
company    | org | cmp | -                       | Brumaverde | insumos            | Vivero Agroforestal Semilla Viva
company    | org | cmp | -                       | Brumaverde | transporte         | Transportes Veredales del Sur
company    | org | cmp | -                       | Monteandino | transporte        | Transportadora Intermunicipal Río Ceniza
company    | org | cmp | -                       | Villa Albor | vías              | Constructora Vías de Montaña S.A.S.
company    | org | cmp | -                       | Brumaverde | crédito            | Cooperativa de Ahorro y Crédito Brumaverde Solidaria
company    | org | cmp | -                       | Monteandino | energía           | Empresa de Energía de la Cordillera
company    | org | cmp | -                       | Villa Albor | conectividad      | Operador de Telefonía e Internet Rural
company    | org | cmp | -                       | Nogalito   | turismo            | Ecoturismo Cañón del Ceniza
company    | org | cmp | -                       | Nogalito   | turismo            | Hospedaje Las Brumas
company    | org | cmp | -                       | Brumaverde | comercio           | Supermercado Central Brumaverde
company    | org | cmp | -                       | Brumaverde | comercio           | Estación de Servicio El Triunfo
company    | org | cmp | -                       | Brumaverde | salud              | Droguería Salud Rural
company    | org | cmp | -                       | Brumaverde | comercio           | Asociación de Comerciantes de Brumaverde
company    | grp | cmp | -                       | Brumaverde | transporte         | Gremio de Motocarreros de Brumaverde
company    | grp | cmp | -                       | Nogalito   | transporte         | Asociación de Mototaxistas Rurales
extractive | org | cmp | -                       | Nogalito   | madera             | Maderas y Aserrío Los Cedros
extractive | org | cmp | -                       | Brumaverde | ganadería          | Ganadería El Horizonte
extractive | org | cmp | -                       | Villa Albor | minería           | Exploraciones Mineras del Alto Ceniza
local_gov  | org | gov | -                       | Brumaverde | -                  | Concejo Municipal de Brumaverde
local_gov  | org | gov | -                       | Brumaverde | derechos humanos   | Personería Municipal de Brumaverde
local_gov  | org | gov | women                   | Brumaverde | familia            | Comisaría de Familia de Brumaverde
local_gov  | org | gov | rural_producers         | Brumaverde | agro               | Secretaría de Agricultura y Desarrollo Rural Municipal
local_gov  | org | gov | -                       | Brumaverde | -                  | Secretaría de Gobierno Municipal
local_gov  | org | gov | -                       | Brumaverde | salud              | Secretaría de Salud Municipal
local_gov  | org | gov | -                       | Brumaverde | salud              | Hospital Local de Brumaverde
local_gov  | org | gov | -                       | Cañaflor   | salud              | Puesto de Salud de Cañaflor
local_gov  | org | gov | rural_producers         | Brumaverde | agro               | Consejo Municipal de Desarrollo Rural
local_gov  | org | gov | -                       | Brumaverde | -                  | Registraduría Municipal
local_gov  | org | gov | youth                   | Brumaverde | educación          | Núcleo Educativo de Brumaverde
national_gov | org | gov | rural_producers       | Villa Albor | agro              | Gobernación — Secretaría de Desarrollo Agropecuario
national_gov | org | gov | victims               | Villa Albor | víctimas          | Gobernación — Dirección de Víctimas
national_gov | org | gov | -                     | Villa Albor | tierras           | Agencia Nacional de Tierras — Unidad Regional
national_gov | org | gov | -                     | Monteandino | PDET              | Agencia de Renovación del Territorio — Subregión Cordillera
national_gov | org | gov | victims               | Villa Albor | víctimas          | Unidad de Víctimas — Dirección Territorial
national_gov | org | gov | former_combatants     | Villa Albor | reincorporación   | Agencia de Reincorporación — Grupo Territorial
national_gov | org | gov | youth                 | Monteandino | formación         | Servicio Nacional de Aprendizaje — Aula Móvil
national_gov | org | gov | -                     | Villa Albor | ambiente          | Corporación Autónoma Regional de la Cordillera
national_gov | org | gov | rural_producers       | Brumaverde | sanidad vegetal    | Instituto Agropecuario — Oficina Local
national_gov | org | gov | rural_producers       | Brumaverde | crédito            | Banco de Fomento Agrario — Oficina Brumaverde
national_gov | org | gov | -                     | Villa Albor | derechos humanos  | Defensoría del Pueblo — Oficina Regional
security   | org | gov | -                       | Brumaverde | seguridad          | Estación de Policía de Brumaverde
security   | org | gov | -                       | Valdelirios | seguridad         | Unidad Militar de Alta Montaña
school     | org | gov | youth                   | Cumbre Alta | educación         | Institución Educativa Rural Cumbre Alta
school     | org | gov | youth                   | Bellavista | educación          | Institución Educativa Rural Bellavista
school     | org | gov | youth                   | El Porvenir | educación         | Institución Educativa Rural El Porvenir
school     | org | gov | youth                   | Agua Bonita | educación         | Institución Educativa Rural Agua Bonita
school     | org | gov | youth                   | Río Oscuro | educación          | Institución Educativa Rural Río Oscuro
school     | org | gov | youth,rural_producers   | Nogalito   | educación          | Colegio Agropecuario de Nogalito
school     | org | gov | -                       | Brumaverde | primera infancia   | Centro de Desarrollo Infantil de Brumaverde
school     | grp | com | youth                   | Nogalito   | educación          | Asociación de Padres de Familia del Colegio de Nogalito
school     | grp | gov | youth                   | Brumaverde | cultura            | Banda Municipal de Música
civil      | org | com | rural_producers         | Brumaverde | vías               | Asociación Municipal de Juntas de Acción Comunal
civil      | org | civ | rural_producers         | Brumaverde | café               | Comité Municipal de Cafeteros
youth      | org | com | youth                   | Brumaverde | participación      | Plataforma Municipal de Juventudes
church     | org | civ | -                       | Brumaverde | iglesia            | Parroquia del Casco Urbano
church     | org | civ | -                       | Nogalito   | iglesia            | Iglesia Evangélica Fuente de Vida
church     | org | civ | victims                 | Monteandino | iglesia           | Pastoral Social Diocesana
media      | org | civ | -                       | Brumaverde | comunicación       | Emisora Comunitaria Voces del Ceniza
civil      | org | civ | rural_producers         | Brumaverde | café               | Fundación Café y Paz
civil      | org | civ | women                   | Monteandino | mujeres           | Corporación Tejido Rural
civil      | org | civ | victims,displaced       | Villa Albor | tierras           | Corporación Jurídica Tierra y Derechos
civil      | grp | civ | -                       | Brumaverde | vías               | Veeduría Ciudadana de Obras Viales
civil      | org | civ | -                       | Nogalito   | ambiente           | Observatorio Ambiental de la Cuenca del Ceniza
civil      | grp | civ | youth                   | Nogalito   | ambiente           | Colectivo Ambiental Guardianes del Páramo
civil      | org | civ | youth                   | Brumaverde | lectura            | Red de Bibliotecas Rurales
civil      | org | civ | youth                   | Brumaverde | cultura            | Escuela de Música Notas de Montaña
civil      | org | civ | youth                   | Brumaverde | deporte            | Club Deportivo Atlético Brumaverde
civil      | grp | civ | youth                   | Brumaverde | cultura            | Grupo de Teatro Comunitario La Carreta
civil      | org | civ | -                       | Monteandino | salud             | Fundación para la Salud Rural Andina
civil      | org | civ | -                       | Brumaverde | planeación         | Consejo Territorial de Planeación
civil      | org | civ | rural_producers         | Monteandino | café              | Centro de Investigación en Café de Altura
civil      | org | civ | -                       | Brumaverde | riesgo             | Cuerpo de Bomberos Voluntarios de Brumaverde
civil      | org | civ | -                       | Brumaverde | riesgo             | Defensa Civil — Junta Local
donor      | org | civ | -                       | Villa Albor | cooperación       | Agencia de Cooperación Horizonte Andino
donor      | org | civ | victims                 | Villa Albor | cooperación       | Programa de Cooperación Territorios de Paz
donor      | org | civ | youth                   | Villa Albor | emprendimiento    | Fondo Mixto de Emprendimiento de la Cordillera
"""

# Groups at risk if identified, and why (as the facilitator recorded it). Only
# groups: a flag on what reads as one person would point at them.
FLAGS = {
    "Lideresas comunales de la vereda El Diamante": (
        "Varias integrantes han recibido amenazas; no publicar el nombre del grupo."
    ),
    "Red de Defensoras Comunitarias de Derechos Humanos de Nogalito": (
        "Sus integrantes recibieron amenazas por su trabajo de denuncia; reserva del grupo."
    ),
    "Familias reclamantes de tierras de Vega del Ceniza": (
        "Familias en proceso de restitución con medidas de protección; no identificarlas."
    ),
    "Firmantes de paz del casco urbano": (
        "Firmantes de paz en reincorporación; riesgo de estigmatización y amenazas."
    ),
    "Comité de Mujeres Cafeteras de Cañaflor": (
        "Amenazas tras denunciar cobros ilegales a productoras; no publicar su nombre."
    ),
    "Equipo de reporteros de la emisora comunitaria": (
        "El equipo recibió amenazas por sus reportajes."
    ),
    "Colectivo de Víctimas Retornadas de Peñas Blancas": (
        "Familias retornadas sin garantías de seguridad; no revelar su ubicación."
    ),
    "Comité de reclamantes de tierras del Ceniza": (
        "Grupo en proceso de restitución; sus integrantes piden reserva."
    ),
}
# Whom the partners have engaged (True) or not yet (False), whatever their profile.
ENGAGED = {
    COOP: True,
    "Red Municipal de Mujeres": True,
    "Directiva de la JAC de La Esmeralda": True,
    "Corporación Tejido Rural": True,
    "Lideresas comunales de la vereda El Diamante": False,
    "Red de Defensoras Comunitarias de Derechos Humanos de Nogalito": False,
    "Comité de Mujeres Cafeteras de Cañaflor": False,
    "Parteras tradicionales de Cañaflor": False,
    "Promotoras de salud de Alto Ceniza": False,
    "Grupo de Mujeres Víctimas Tejiendo Memoria": False,
    "Madres de Desaparecidos de la Cuenca del Ceniza": False,
    "Asociación de Mujeres Firmantes de Paz": False,
    "Grupo de Cuidadoras de Personas con Discapacidad": False,
    "Comisaría de Familia de Brumaverde": False,
}
DESCRIPTIONS = {
    COMPANY: "Cultivos de café especial y aguacate; compra café a productores de varias veredas.",
    MAYOR: "Secretaría de Planeación y oficina de enlace del programa de desarrollo territorial.",
    VICTIMS: "Víctimas del conflicto armado de las veredas del río Ceniza.",
    COOP: "Mujeres que producen y comercializan café y panela.",
    YOUTH: "Jóvenes del casco urbano y de veredas: emprendimiento y cultura.",
    UNIVERSITY: "Facilita la alianza como dinamizador independiente.",
    FOUNDATION: "ONG local de capacitación y veeduría.",
    "Lideresas comunales de la vereda El Diamante": (
        "Impulsan la titulación de predios de mujeres cabeza de hogar."
    ),
    "Mesa Municipal de Participación de Víctimas": (
        "Espacio de representación de las organizaciones de víctimas ante la alcaldía."
    ),
    "Exploraciones Mineras del Alto Ceniza": (
        "Tiene solicitudes de títulos de exploración en la parte alta."
    ),
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
