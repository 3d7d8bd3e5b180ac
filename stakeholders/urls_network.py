from django.urls import URLPattern, path

from stakeholders.views_network import network_page, network_svg

P = "p/<slug:slug>/map/"

urlpatterns: list[URLPattern] = [
    path(P + "network/", network_page, name="network"),
    path(P + "network.svg", network_svg, name="network_svg"),
]
