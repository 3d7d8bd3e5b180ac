"""The invented content of the demo baseline (see baseline/demo.py): threats of
a rural, post-conflict municipality across the seven dimensions, how the
community, the company and the government (and some segments) rate them —
often differently — the needs, vulnerabilities and capacities, and what each
partner offers. No real person and no real place anywhere."""

from __future__ import annotations

from partnerships.management.commands.demo import HOME_CODE

SEED = 20260901
# The invented region: its list (in DIVIPOLA's columns) and its boundaries
# (GeoJSON, code in "codigo"), in baseline/demo_places/ (see the README there).
PLACES_LIST = "region_demo.csv"
PLACES_BOUNDARIES = "region_demo.geojson"
PLACES_CODE_PROPERTY = "codigo"
# The demo partnership's municipality, Brumaverde, and three of its neighbours:
# Monteandino, Tierramansa and Villa Albor.
HOME = HOME_CODE
NEIGHBOURS = ["00004", "00006", "00002"]

# title | dimensions | nature | trend | partner types affected | segments |
# community, company, government severity/likelihood (blank: not rated) | root causes
THREATS = """
Extorsión a productores de café | economic,personal | d | worsening | company,community | rural_producers | 5/5 4/4 3/4 | Presencia de grupos armados y economías ilegales
Caída del precio internacional del café | economic | d | stable | company,community | rural_producers | 4/3 5/4 3/3 | Dependencia de un solo cultivo
Desempleo juvenil en el casco urbano | economic,community | d | worsening | community,government | youth | 5/5 2/3 3/4 | Pocas oportunidades de formación y empleo formal
Falta de crédito para pequeños productores | economic | d | stable | community | rural_producers,women | 4/5 2/2 3/3 | Requisitos de garantía y falta de títulos de tierra
Robo de cosecha en vías terciarias | economic,personal | d | worsening | company,community | rural_producers | 3/4 4/4 2/3 | Vías aisladas sin presencia institucional
Inseguridad alimentaria en veredas altas | food,health | d | worsening | community | older_people,indigenous | 5/4 2/2 3/3 | Monocultivo y distancia a los mercados
Pérdida de semillas nativas | food,environmental | d | stable | community | indigenous,rural_producers | 4/3 1/2 2/2 | Sustitución por variedades comerciales
Alza del precio de los alimentos básicos | food,economic | d | worsening | community,government | | 4/5 2/3 4/4 | Costos de transporte y dependencia de otros municipios
Desnutrición infantil | food,health | d | stable | community,government | | 5/3 2/2 4/3 | Pobreza y poco acceso a agua potable
Falta de atención médica en zona rural | health | d | stable | community,government | older_people,disability | 5/5 2/2 4/4 | Un solo hospital y puestos de salud sin personal
Enfermedades por agua no potable | health,environmental | d | worsening | community | | 4/4 2/2 3/3 | Acueductos veredales sin tratamiento
Riesgo de accidentes laborales en la cosecha | health,economic | d | stable | company | | 2/3 4/3 2/2 | Trabajo en pendientes sin equipos de protección
Contaminación de quebradas por aguas mieles | environmental,health | d | worsening | community,company | | 5/4 2/3 3/4 | Beneficiaderos sin tratamiento de aguas residuales
Deforestación en la zona de páramo | environmental | d | worsening | community,government | indigenous | 4/4 3/2 4/3 | Ampliación de la frontera agrícola
Deslizamientos en temporada de lluvias | environmental,personal | d | worsening | community,company,government | | 5/4 4/4 5/4 | Pendientes deforestadas y vías sin obras de drenaje
Sequías más largas por el cambio climático | environmental,food | d | worsening | community,company | rural_producers | 4/3 4/4 3/3 | Cambio climático y pérdida de cobertura vegetal
Presencia de grupos armados ilegales | personal,political | d | worsening | community,company,government | victims,former_combatants | 5/4 5/4 4/4 | Vacíos de presencia del Estado tras el acuerdo de paz
Amenazas a líderes sociales | personal,political | d | worsening | community | victims,women | 5/5 3/2 4/3 | Disputa por el territorio y estigmatización
Violencia basada en género | personal,community | d | stable | community | women | 5/4 2/2 3/3 | Normas culturales y débil ruta de atención
Reclutamiento de menores | personal,community | d | worsening | community,government | youth | 5/4 3/2 4/3 | Falta de oportunidades y presencia armada
Minas antipersonal en caminos veredales | personal | d | improving | community,government | victims | 4/2 3/2 4/2 | Herencia del conflicto armado
Desconfianza entre la empresa y las comunidades | community,political | d | stable | company,community | | 3/4 4/4 3/3 | Conflictos pasados por el agua y la tierra
Estigmatización de excombatientes en reincorporación | community | d | stable | community | former_combatants | 3/3 2/2 3/3 | Memoria del conflicto y falta de espacios de encuentro
Debilitamiento de las juntas de acción comunal | community,political | d | stable | community,government | | 4/3 1/2 3/3 | Amenazas a líderes y poco relevo generacional
Conflictos por el uso del agua | community,environmental | d | worsening | company,community | rural_producers | 4/4 3/3 3/4 | Concesiones de agua sin ordenamiento de la cuenca
Corrupción en los contratos públicos | political,economic | d | stable | community,company,government | | 4/4 4/3 2/2 | Débil control ciudadano
Baja participación de mujeres en decisiones públicas | political,community | d | stable | community | women | 4/4 2/2 2/3 | Barreras culturales y de cuidado
Incumplimiento de los acuerdos del PDET | political,economic | d | worsening | community,government | victims | 5/4 3/3 3/3 | Recursos insuficientes y baja coordinación
Bloqueos de vías por protestas | economic,political | d | stable | company,government | | 2/3 4/4 4/4 | Demandas sociales sin canales de diálogo
Café especial con denominación de origen | economic,food | o | improving | company,community | rural_producers,women | 4/3 5/4 4/3 | Calidad reconocida del café de la región
Turismo comunitario en el cañón del Ceniza | economic,community | o | improving | community,government | youth | 3/2 3/2 4/3 | Paisaje y memoria como atractivo
Programa de sustitución de cultivos | economic,personal | o | stable | community,government | rural_producers | 4/3 2/2 4/3 | Acuerdo de paz, punto 4
"""

# kind | group (type:… or segment:…) | dimension | description | source
CONDITIONS = """
need | type:community | food | Huertas familiares y semillas para las veredas altas | Taller de diagnóstico, vereda La Esmeralda
need | segment:women | economic | Acceso a crédito sin garantía hipotecaria | Encuesta de la cooperativa, 2025
need | segment:youth | economic | Formación técnica en el municipio | Mesa de juventud
need | type:community | health | Brigadas de salud en las veredas lejanas | Actas de las juntas de acción comunal
need | segment:victims | political | Acompañamiento jurídico para la reparación | Asociación de víctimas
need | type:company | personal | Vías seguras para sacar la cosecha | Comité de seguridad de la empresa
need | type:government | political | Información veredal actualizada para la planeación | Secretaría de Planeación
vulnerability | segment:women | personal | Caminos solitarios hacia la escuela y el mercado | Grupo focal de mujeres
vulnerability | segment:older_people | health | Distancia de más de tres horas al hospital | Registro del hospital local
vulnerability | segment:indigenous | environmental | Dependencia de fuentes de agua en zona de páramo | Cabildo, diagnóstico propio
vulnerability | segment:rural_producers | economic | Un solo cultivo como ingreso | Censo cafetero municipal
vulnerability | type:company | economic | Cadena de suministro expuesta a bloqueos | Análisis de riesgos de la empresa
vulnerability | segment:former_combatants | community | Estigmatización en las veredas de reincorporación | Mesa de reincorporación
vulnerability | type:community | environmental | Viviendas en zonas de deslizamiento | Plan municipal de gestión del riesgo
capacity | type:community | community | Juntas de acción comunal con trayectoria de trabajo colectivo | Mapa de actores
capacity | segment:women | food | Saberes en transformación de café y panela | Cooperativa de mujeres
capacity | segment:youth | community | Colectivos culturales y de comunicación | Colectivo juvenil
capacity | type:company | economic | Acceso a mercados de café especial | Informe de sostenibilidad de la empresa
capacity | type:government | political | Recursos del programa de desarrollo territorial | Plan de desarrollo municipal
capacity | segment:indigenous | environmental | Conocimiento propio del cuidado del páramo | Cabildo
capacity | type:civil_society | health | Promotoras de salud formadas | Fundación acompañante
"""

# partner name | kind | description | quantity | unit | dimensions
CONTRIBUTIONS = """
Agroindustrias Brumaverde S.A.S. | money | Fondo semilla para proyectos productivos | 150000000 | COP | economic,food
Agroindustrias Brumaverde S.A.S. | staff_time | Agrónomos para asistencia técnica | 160 | horas por mes | economic,environmental
Agroindustrias Brumaverde S.A.S. | equipment | Volqueta y retroexcavadora para mantenimiento de vías | 2 | máquinas | economic,personal
Alcaldía Municipal de Brumaverde | money | Cofinanciación del plan de acción | 300000000 | COP | economic,political
Alcaldía Municipal de Brumaverde | land | Predio para centro de acopio | 2.5 | hectáreas | economic,food
Alcaldía Municipal de Brumaverde | networks | Enlace con el programa de desarrollo territorial y la gobernación | | | political
Asociación de Víctimas Renacer del Ceniza | local_knowledge | Conocimiento de las veredas y de las rutas seguras | | | personal,community
Asociación de Víctimas Renacer del Ceniza | networks | Red de lideresas y líderes veredales | | | community,political
Cooperativa de Mujeres Productoras Manos de Brumaverde | skills | Transformación de café y panela; contabilidad de la cooperativa | 40 | horas por mes | economic,food
Cooperativa de Mujeres Productoras Manos de Brumaverde | equipment | Trilladora y tostadora de café | 1 | equipo | economic
Colectivo Juvenil Semillas de Brumaverde | skills | Comunicación comunitaria y registro audiovisual | 20 | horas por mes | community
Universidad del Alto Ceniza — Observatorio de Paz | staff_time | Facilitación de talleres y análisis de datos | 60 | horas por mes | political,community
Fundación Caminos de Brumaverde | skills | Formación en veeduría ciudadana | 24 | horas por mes | political
"""

EVIDENCE = [
    ("Extorsión a productores de café", "document", "Informe de la defensoría sobre riesgos en la cordillera (demo)"),
    ("Contaminación de quebradas por aguas mieles", "data", "Análisis de calidad del agua, laboratorio departamental (demo)"),
    ("Presencia de grupos armados ilegales", "consultation", "Resultados de la consulta veredal 2025 (demo)"),
    ("Deslizamientos en temporada de lluvias", "data", "Registro de emergencias del consejo municipal de gestión del riesgo (demo)"),
    ("Falta de atención médica en zona rural", "link", "Indicadores de salud del municipio (demo)"),
]  # fmt: skip
