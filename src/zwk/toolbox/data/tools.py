"""The tools every installation ships with, written for ZWK (own words, German UI text).

Each entry rests either on a public method description (named in `sources`) or on a practice a
municipality of the programmes reported publicly. Loaded by migration 0002 and by
`zwk.toolbox.services.load_shipped_tools`, which is idempotent by slug.
"""

WP = "https://de.wikipedia.org/wiki/"
ZWK = "https://www.zukunftswerkstatt-kommunen.de/"
DWK = "https://www.demografiewerkstatt-kommunen.de/werkzeugkoffer"
ALL_KINDS = "gemeinde,stadt,kreis,quartier,verbund"


def T(slug, title, type, topics, stages, summary, *, problem="", steps=(), kinds=ALL_KINDS,
      min_pop=None, max_pop=None, effort="medium", time="", people="", money="", where="",
      origin="", sources=(), keywords=""):
    return {"slug": slug, "title": title, "type": type, "topics": topics.split(","),
            "stages": stages, "commune_kinds": kinds, "min_population": min_pop,
            "max_population": max_pop, "effort": effort, "effort_time": time,
            "effort_people": people, "effort_money": money, "problem": problem,
            "summary": summary, "steps": "\n".join(steps), "where_used": where,
            "origin": origin, "sources": "\n".join(sources), "keywords": keywords}


TOOLS = [
    # --- Step 1: Kick-Off ---------------------------------------------------------------
    T("auftaktveranstaltung", "Auftaktveranstaltung mit der Verwaltungsspitze", "method",
      "demografiestrategie,oeffentlichkeitsarbeit", "kickoff",
      "Ein öffentlicher Abend, an dem Bürgermeister:in oder Landrät:in den Prozess eröffnet, "
      "erste Zahlen gezeigt werden und die Anwesenden sagen, was sie vor Ort hält.",
      problem="Ein Strategieprozess ohne sichtbaren Start bleibt eine Verwaltungsangelegenheit.",
      steps=("Termin mit der Verwaltungsspitze abstimmen", "Breit einladen: Vereine, Jugend, "
             "Wirtschaft, Sozialträger", "Drei bis fünf Kennzahlen anschaulich zeigen",
             "Stellwände: Was hält Sie hier? Was fehlt?", "Steuerungsgruppe und nächste "
             "Termine verabreden"),
      time="3 Stunden plus 4 Wochen Vorbereitung", people="2–3 Personen", money="Raum, Imbiss",
      origin="Fünf-Schritte-Systematik der Demografiewerkstatt Kommunen",
      sources=(DWK + "/kick-off",), keywords="Auftakt Eröffnung Start Steuerungsgruppe"),
    T("akteurslandkarte", "Akteurslandkarte", "method", "demografiestrategie,kooperation",
      "kickoff,profile",
      "Auf einer großen Karte wird sichtbar, wer in der Kommune bei welchem Thema etwas bewegt "
      "und wer noch fehlt.",
      problem="Zum Auftakt werden immer dieselben Personen eingeladen; wichtige Gruppen fehlen.",
      steps=("Themenfelder als Sektoren zeichnen", "Akteur:innen nach Nähe zum Prozess "
             "eintragen", "Lücken markieren und Einladungen verteilen"),
      effort="low", time="2 Stunden", people="Team der Verwaltung",
      keywords="Stakeholder Netzwerk Akteure Einladung"),
    T("steuerungsgruppe", "Steuerungsgruppe einrichten", "concept",
      "demografiestrategie,kooperation", "kickoff,review",
      "Eine kleine, verbindliche Runde aus Verwaltung, Politik und Zivilgesellschaft, die den "
      "Prozess lenkt und Entscheidungen vorbereitet.",
      steps=("Mitglieder aus mehreren Ämtern und Gruppen benennen", "Geschäftsordnung und "
             "Turnus festlegen", "Ergebnisse jeder Sitzung kurz protokollieren"),
      effort="low", time="alle 6–8 Wochen 2 Stunden", people="6–10 Personen",
      keywords="Lenkungskreis Gremium Koordination"),
    T("pressearbeit-prozess", "Pressearbeit rund um den Prozess", "guide",
      "oeffentlichkeitsarbeit", "kickoff,workshop,review",
      "Ein Leitfaden, wie Sie lokale Medien, Amtsblatt und soziale Kanäle über jeden Schritt "
      "informieren, damit Beteiligung nicht am Nichtwissen scheitert.",
      problem="Viele gute Angebote sind der Bevölkerung schlicht unbekannt.",
      steps=("Redaktionsplan für alle fünf Schritte", "Bilder und Zitate von Beteiligten "
             "sammeln", "Nach jeder Veranstaltung zeitnah berichten"),
      effort="low", keywords="Presse Medien Amtsblatt Social Media Kommunikation"),
    # --- Step 2: Kommunalprofil ---------------------------------------------------------
    T("kommunalprofil", "Kommunalprofil erstellen", "guide", "demografiestrategie", "profile",
      "Das Profil fasst Bevölkerungsentwicklung, Bestandsaufnahme, Interviews und SWOT auf "
      "wenigen Seiten zusammen und ist die Grundlage für alle weiteren Schritte.",
      steps=("Amtliche Daten und Prognose zusammentragen", "Bestandsaufnahme der Maßnahmen",
             "Leitfadeninterviews führen", "SWOT in Stichpunkten", "Im Reflexionsworkshop "
             "besprechen"),
      time="3–6 Monate", people="Team und Berater:in",
      sources=(ZWK + "werkzeugkoffer/Demografiestrategie/Kommunalprofil",),
      keywords="Profil Daten Statistik Analyse Bevölkerung"),
    T("swot-workshop", "SWOT-Workshop", "method", "demografiestrategie", "profile",
      "In einem moderierten Workshop ordnet eine gemischte Gruppe Befunde nach Stärken, "
      "Schwächen, Chancen und Risiken und belegt jeden Punkt mit Zahl, Interview oder Bestand.",
      steps=("Befunde aus Daten und Interviews vorab auf Karten", "In vier Feldern ordnen",
             "Doppelte zusammenführen, Belege ergänzen", "Auf ein bis zwei Seiten verdichten"),
      effort="low", time="halber Tag", people="Moderation plus 8–20 Teilnehmende",
      sources=(WP + "SWOT-Analyse",), keywords="Stärken Schwächen Chancen Risiken Analyse"),
    T("experteninterview", "Leitfadengestütztes Interview mit Schlüsselakteur:innen", "method",
      "demografiestrategie,buergerbeteiligung", "profile",
      "Halbstrukturierte Gespräche mit Menschen, die die Kommune aus ihrer Arbeit gut kennen – "
      "Ärzt:innen, Schulleitungen, Vereinsvorstände, Unternehmen.",
      problem="Zahlen sagen, was sich verändert, aber nicht, warum.",
      steps=("Leitfaden mit 8–12 offenen Fragen", "10–15 Personen aus verschiedenen Bereichen "
             "auswählen", "Kernaussagen je Gespräch notieren", "Aussagen den Handlungsfeldern "
             "zuordnen"),
      time="je Gespräch 1 Stunde", people="1–2 Interviewende",
      sources=(WP + "Experteninterview",), keywords="Interview Gespräch Experten Befragung"),
    T("bestandsaufnahme", "Bestandsaufnahme vorhandener Maßnahmen", "method",
      "demografiestrategie,kooperation", "profile",
      "Eine Liste aller Projekte, Konzepte und Angebote, die es zum demografischen Wandel schon "
      "gibt – damit nichts doppelt erfunden wird.",
      steps=("Ämter und Träger abfragen", "Nach Handlungsfeldern sortieren", "Lücken und "
             "Überschneidungen markieren"),
      effort="low", keywords="Inventar Bestand Projekte Konzepte Übersicht"),
    T("buergerbefragung", "Bürgerbefragung zu Bleiben und Zuziehen", "method",
      "buergerbeteiligung,demografiestrategie", "profile,workshop",
      "Eine schriftliche oder Online-Befragung fragt, was Menschen an der Kommune hält, was "
      "sie vermissen und ob sie wegziehen wollen.",
      steps=("Fragebogen kurz halten (max. 15 Fragen)", "Auf Papier und online anbieten",
             "Jugendliche und Neuzugezogene gezielt ansprechen", "Ergebnisse öffentlich "
             "zurückmelden"),
      time="2–3 Monate", money="Druck, ggf. Auswertung", keywords="Umfrage Fragebogen "
      "Befragung Haltefaktoren Zuzug Abwanderung"),
    T("quartiersspaziergang", "Quartiersspaziergang", "method",
      "buergerbeteiligung,wohnen,begegnung", "profile,workshop",
      "Bewohner:innen führen Verwaltung und Politik durch ihr Viertel und zeigen vor Ort, was "
      "gut funktioniert und wo es hakt – Barrieren, Angsträume, fehlende Treffpunkte.",
      steps=("Route mit Ortskundigen festlegen", "Stationen mit Leitfragen", "Beobachtungen "
             "auf Karte und Fotos festhalten", "Ergebnisse in die SWOT übernehmen"),
      effort="low", time="2 Stunden", kinds="stadt,quartier,gemeinde",
      keywords="Begehung Stadtteilspaziergang Barrierefreiheit Quartier Rundgang"),
    T("quartiersprofile-demografielabor", "Demografielabore mit Quartiersprofilen", "practice",
      "demografiestrategie,buergerbeteiligung", "profile,workshop,review",
      "Für einzelne Stadtteile werden kleinräumige Profile erstellt und in Laboren mit "
      "Bewohner:innen und Fachleuten diskutiert; daraus entstehen Maßnahmen je Quartier.",
      problem="Gesamtstädtische Zahlen verdecken, dass Quartiere sehr unterschiedlich altern.",
      kinds="stadt,quartier", min_pop=50000, effort="high", time="je Quartier 4–6 Monate",
      where="Bremerhaven (Zukunftswerkstatt Kommunen)", origin="Stadt Bremerhaven",
      sources=(ZWK + "projekt/aktuelles/m/bremerhaven-zwischenbilanz",),
      keywords="Quartier Stadtteil kleinräumig Labor Beirat"),
    # --- Step 3: Zukunftswerkstatt ------------------------------------------------------
    T("zukunftswerkstatt-jungk", "Zukunftswerkstatt nach Robert Jungk", "method",
      "buergerbeteiligung,demokratiefoerderung", "workshop",
      "Die klassische Beteiligungsmethode in drei Phasen: Kritik sammeln, frei fantasieren, "
      "dann prüfen, was umsetzbar ist, und Verantwortliche finden.",
      steps=("Kritikphase: Probleme auf Karten, clustern", "Fantasiephase: Ideen ohne "
             "Schere im Kopf", "Verwirklichungsphase: Machbarkeit prüfen, nächste Schritte "
             "und Zuständige festlegen", "Punktevergabe zur Priorisierung"),
      time="1–2 Tage", people="Moderation, ab 25 Teilnehmenden zu zweit",
      sources=(WP + "Zukunftswerkstatt",), keywords="Kritik Fantasie Utopie Verwirklichung "
      "Beteiligung Workshop"),
    T("world-cafe", "World Café", "method", "buergerbeteiligung,begegnung", "workshop,kickoff",
      "An mehreren Tischen werden Fragen in wechselnden Kleingruppen besprochen; Gastgeber:innen "
      "geben das Gesagte an die nächste Runde weiter.",
      steps=("Drei bis vier Leitfragen formulieren", "Tische mit Papierdecken und Stiften",
             "Runden von 20 Minuten, danach Tischwechsel", "Ernte im Plenum"),
      effort="low", time="2–3 Stunden", people="Moderation und Tischgastgeber:innen",
      sources=(WP + "World-Café",), keywords="Tischgespräche Austausch Gruppen Dialog"),
    T("open-space", "Open Space", "method", "buergerbeteiligung,engagement", "workshop",
      "Die Teilnehmenden bestimmen die Tagesordnung selbst: Wer ein Anliegen hat, bietet eine "
      "Gesprächsrunde an; die anderen gehen hin, wo sie etwas beitragen können.",
      steps=("Offenes Leitthema festlegen", "Marktplatz der Anliegen", "Parallele Runden mit "
             "Kurzprotokoll", "Dokumentation am selben Tag"),
      time="1 Tag", people="Moderation, 20–200 Teilnehmende",
      sources=(WP + "Open-Space-Technologie",), keywords="Selbstorganisation Großgruppe "
      "Anliegen Marktplatz"),
    T("planspiel-verwaltung", "Planspiel quer durch die Ämter", "practice",
      "kooperation,demografiestrategie", "workshop,plan",
      "Mitarbeitende verschiedener Fachbereiche spielen einen demografischen Fall durch und "
      "merken dabei, wo Zuständigkeiten aneinander vorbeilaufen.",
      problem="Demografie betrifft alle Ämter, jedes sieht aber nur seinen Ausschnitt.",
      kinds="stadt,kreis", effort="medium", time="1 Tag plus Vorbereitung",
      where="Dessau-Roßlau (Zukunftswerkstatt Kommunen)", origin="Stadt Dessau-Roßlau",
      sources=(WP + "Planspiel",), keywords="Rollenspiel Verwaltung ressortübergreifend "
      "Simulation"),
    T("serious-game-dorf", "Serious Game „Bau dein Dorf der Zukunft“", "practice",
      "buergerbeteiligung,demokratiefoerderung,wohnen", "workshop",
      "Ein Brettspiel, in dem Dorfbewohner:innen mit begrenztem Budget entscheiden, was ihr Ort "
      "in zwanzig Jahren braucht – Einkauf, Arzt, Wohnen, Treffpunkt.",
      kinds="gemeinde,kreis,verbund", max_pop=20000, effort="medium",
      where="Hochsauerlandkreis (Zukunftswerkstatt Kommunen)", origin="Hochsauerlandkreis",
      keywords="Spiel Dorf ländlicher Raum Zukunft Jugend"),
    T("jugendbeteiligung-workshop", "Jugendforum", "method",
      "demokratiefoerderung,buergerbeteiligung", "workshop,profile",
      "Ein eigener Termin nur für Jugendliche, in ihrer Sprache und an ihren Orten, damit die "
      "Gruppe, die am ehesten abwandert, gehört wird.",
      steps=("Mit Schulen und Jugendarbeit planen", "Kurze, aktivierende Formate", "Ergebnisse "
             "sichtbar in die Werkstatt übernehmen", "Rückmeldung, was daraus wurde"),
      effort="low", keywords="Jugend Jugendliche Schule Beteiligung junge Menschen"),
    T("kinderstadtplan", "Kinderstadtplan", "practice", "buergerbeteiligung,oeffentlichkeitsarbeit",
      "workshop", "Kinder erkunden mit Studierenden der Sozialen Arbeit ihre Stadt und gestalten "
      "einen eigenen Stadtplan mit Lieblingsorten und Orten, an denen sie sich unsicher fühlen.",
      kinds="stadt,quartier", where="Coburg (Zukunftswerkstatt Kommunen)", origin="Stadt Coburg",
      sources=(ZWK + "projekt/aktuelles/m/kinderstadtplan-coburg",),
      keywords="Kinder Familie Sicherheit Stadtplan Schulweg"),
    T("dorfdialog", "Dorfdialog", "practice", "buergerbeteiligung,begegnung", "workshop,kickoff",
      "Ein regelmäßiger offener Gesprächsabend im Dorf, bei dem Bürger:innen und Rat gemeinsam "
      "über die Zukunft des Ortes sprechen.",
      kinds="gemeinde,verbund", max_pop=10000, effort="low", where="Lünne (Emsland)",
      origin="Gemeinde Lünne", keywords="Dorf Gespräch ländlich Dialog Bürgerversammlung"),
    # --- Step 4: Werkstattplan ----------------------------------------------------------
    T("werkstattplan", "Werkstattplan aufstellen", "guide", "demografiestrategie", "plan",
      "Der Plan verknüpft Handlungsfelder, Ziele und Einzelmaßnahmen und nennt für jede "
      "Maßnahme Zuständige, Zeitraum, Budget und Zielgruppe.",
      steps=("Prioritäten der Werkstatt übernehmen", "Leitziel je Handlungsfeld", "Maßnahmen "
             "mit Verantwortlichen und Terminen", "Im Rat beschließen lassen"),
      sources=("https://www.demografiewerkstatt-kommunen.de/werkzeugkoffer/werkstattplan",),
      keywords="Plan Maßnahmen Ziele Strategie Projektmanagement"),
    T("foerdermittel-recherche", "Fördermittel finden und kombinieren", "guide", "foerdermittel",
      "plan,review",
      "Eine Anleitung, wie Sie Förderprogramme von Bund, Land und Stiftungen systematisch "
      "durchsuchen und Maßnahmen des Plans passenden Töpfen zuordnen.",
      steps=("Förderdatenbanken regelmäßig prüfen", "Maßnahmen nach Förderfähigkeit "
             "markieren", "Eigenanteile früh im Haushalt einplanen"),
      effort="low", sources=("https://www.foerderdatenbank.de",),
      keywords="Förderung Zuschuss Förderprogramm Finanzierung Haushalt"),
    T("kleinprojektefonds", "Kleinprojektefonds für Bürgerideen", "practice",
      "foerdermittel,engagement", "plan,review",
      "Ein kleines, unbürokratisches Budget, aus dem Vereine und Initiativen Ideen aus der "
      "Zukunftswerkstatt schnell selbst umsetzen können.",
      problem="Gute Ideen versanden, weil für kleine Beträge kein passender Topf existiert.",
      kinds="kreis,verbund,stadt", money="z. B. 1.000–2.500 EUR je Projekt",
      where="Landkreis Ludwigslust-Parchim", origin="Landkreis Ludwigslust-Parchim",
      keywords="Fonds Budget Ehrenamt Verein Zuschuss Mikroförderung"),
    T("interkommunale-allianz", "Interkommunale Allianz", "practice", "kooperation", "plan",
      "Mehrere Nachbargemeinden bündeln Aufgaben wie Standortmarketing, Fachkräftegewinnung "
      "oder Wohnraumberatung in einer gemeinsamen Struktur.",
      kinds="gemeinde,verbund", max_pop=30000, effort="high",
      where="Odenwald-Allianz (sieben Kommunen)", origin="Odenwald-Allianz",
      sources=(DWK + "/Die-Odenwald-Allianz",),
      keywords="Zusammenarbeit Nachbarkommunen Verbund interkommunal Kooperation"),
    T("wohnraumberatung", "Wohnberatung für barrierearmes Wohnen", "concept",
      "wohnen,gesundheit", "plan",
      "Eine Beratungsstelle hilft älteren Menschen, ihre Wohnung anzupassen, damit sie länger "
      "selbstständig zu Hause leben können.",
      problem="Barrierearme Wohnungen fehlen; Umzüge ins Heim erfolgen zu früh.",
      keywords="Wohnung Senioren Alter barrierefrei Umbau Pflege"),
    T("assistenzsysteme-wohnen", "Technische Assistenz im barrierefreien Wohnen", "practice",
      "wohnen,digitalisierung,gesundheit", "plan",
      "Barrierefreie Wohnungen im Ortskern werden mit unterstützender Technik ausgestattet, "
      "damit ältere Menschen im Dorf bleiben können.",
      kinds="gemeinde", max_pop=5000, effort="high", where="Vrees (Emsland)",
      origin="Gemeinde Vrees", keywords="Wohnen Alter Technik AAL Dorf barrierefrei"),
    T("sommerakademie-aerzte", "Sommerakademie für junge Ärzt:innen", "practice",
      "gesundheit,arbeit", "plan",
      "Medizinstudierende verbringen einige Sommertage in der Region, lernen Praxen, Kliniken "
      "und das Leben vor Ort kennen – ein Baustein gegen den Hausärztemangel.",
      problem="Hausarztpraxen finden keine Nachfolge.",
      kinds="gemeinde,stadt,kreis", max_pop=50000, where="Adorf/Vogtl.", origin="Stadt Adorf",
      keywords="Arzt Ärztemangel Hausarzt Medizin Nachwuchs Landarzt"),
    T("rezeptbriefkasten", "Rezeptbriefkasten an der Hausarztpraxis", "practice", "gesundheit",
      "plan", "Ein Briefkasten, über den Dauerpatient:innen Folgerezepte bestellen und abholen "
      "können, entlastet Praxis und Wege.",
      kinds="gemeinde", max_pop=5000, effort="low", where="Helbedündorf",
      origin="Gemeinde Helbedündorf",
      sources=(ZWK + "projekt/aktuelles/m/helbeduendorf-zwk-besuch",),
      keywords="Arzt Rezept Praxis ländlich Versorgung"),
    T("generationencafe", "Generationencafé", "practice", "begegnung,engagement", "plan",
      "Ein regelmäßiger Treff, an dem Jung und Alt sich begegnen, voneinander lernen und "
      "gemeinsame Aktivitäten planen.",
      effort="low", where="Kornwestheim", origin="AG Generationenübergreifendes Miteinander, "
      "Kornwestheim", keywords="Generationen Treffpunkt Senioren Jugend Begegnung Café"),
    T("gemeinschaftsraum-einkaufszentrum", "Gemeinschaftsraum im Einkaufszentrum", "practice",
      "begegnung,engagement", "plan",
      "Ein leerstehendes Ladenlokal wird zum offenen Raum für Vereine, Beratung und Begegnung – "
      "dort, wo Menschen ohnehin vorbeikommen.",
      kinds="stadt", min_pop=20000, where="Neubrandenburg", origin="Stadt Neubrandenburg",
      keywords="Leerstand Treffpunkt Raum Begegnung Innenstadt"),
    T("ehrenamtsstammtisch", "Ehrenamtsstammtisch", "practice", "engagement", "plan,review",
      "Ehrenamtliche verschiedener Vereine treffen sich regelmäßig, tauschen sich aus und "
      "helfen einander bei Nachwuchs, Förderanträgen und Veranstaltungen.",
      effort="low", kinds="gemeinde,verbund", where="Spelle", origin="Samtgemeinde Spelle",
      keywords="Ehrenamt Verein Vernetzung Freiwillige Engagement"),
    T("willkommenspaket", "Willkommenspaket für Neuzugezogene", "concept",
      "integration,oeffentlichkeitsarbeit,arbeit", "plan",
      "Neue Einwohner:innen erhalten gebündelte Informationen, einen Ansprechpartner und eine "
      "Einladung zu einem Kennenlerntermin; für Fachkräfte auch Hilfe bei der Jobsuche des "
      "Partners oder der Partnerin.",
      effort="low", keywords="Zuzug Willkommen Neubürger Integration Fachkräfte Dual Career"),
    T("integrationslotsen", "Integrationslots:innen", "concept", "integration,engagement", "plan",
      "Ehrenamtliche begleiten Zugewanderte bei Behördengängen, Schule und Arbeit und bauen "
      "Brücken in Vereine.", keywords="Migration Zuwanderung Ehrenamt Begleitung Sprache"),
    T("gruenderzentrum", "Gründer- und Innovationszentrum", "practice",
      "arbeit,digitalisierung", "plan",
      "Ein Ort mit Coworking, Beratung und Netzwerk, der junge Gründer:innen in der Region hält; "
      "später von einem Verein getragen.",
      kinds="verbund,gemeinde,stadt", effort="high", where="Verbandsgemeinde Hamm (Sieg)",
      origin="Verbandsgemeinde Hamm (Sieg)", sources=("https://hamm-sieg.de/de/aktuell/neues/"
                                                      "demografiewandel/?sds=1",),
      keywords="Gründung Start-up Coworking Wirtschaft Arbeitsplätze"),
    T("digitale-beteiligung", "Digitale Beteiligung ergänzend anbieten", "guide",
      "digitalisierung,buergerbeteiligung", "workshop,review",
      "Online-Umfragen, digitale Pinnwände und Livevoting erreichen Menschen, die keine "
      "Abendveranstaltung besuchen – als Ergänzung, nicht als Ersatz.",
      effort="low", keywords="online digital Umfrage Livevoting Pinnwand"),
    T("imagekampagne", "Imagekampagne „Identität schafft Stärke“", "practice",
      "oeffentlichkeitsarbeit", "plan",
      "Eine Kampagne, die Stärken der Region mit Gesichtern von Bewohner:innen erzählt und so "
      "das Selbstbild verbessert.", effort="medium",
      keywords="Image Marketing Identität Heimat Kampagne"),
    # --- Step 5: Zwischenbilanz ---------------------------------------------------------
    T("zwischenbilanz", "Zwischenbilanz ziehen", "guide", "demografiestrategie", "review",
      "Nach etwa der Hälfte der Laufzeit wird jede Maßnahme geprüft, Hindernisse und Gelingens"
      "bedingungen werden benannt und der Plan fortgeschrieben.",
      steps=("Stand jeder Maßnahme erheben", "Hindernisse und Förderliches sammeln",
             "Entscheidungen treffen", "Plan fortschreiben und Verstetigung planen"),
      sources=(ZWK + "werkzeugkoffer/Demografiestrategie/Halbzeitbilanz",),
      keywords="Bilanz Evaluation Halbzeitbilanz Fortschreibung Verstetigung"),
    T("zukunftsbeirat", "Zukunftsbeirat zur Verstetigung", "concept",
      "demografiestrategie,demokratiefoerderung", "review",
      "Ein dauerhaftes Gremium aus Verwaltung, Beiräten und Zivilgesellschaft hält die "
      "Strategie nach Ende der Förderung lebendig und bereitet Fortschreibungen vor.",
      steps=("Zusammensetzung und Mandat per Ratsbeschluss", "Jährlicher Bericht", "Feste "
             "Haushaltslinie"),
      where="Bremerhaven (ZWK-Beirat)", keywords="Beirat Verstetigung Gremium dauerhaft"),
    T("vortrag-krisenmodus", "Vortragsreihe „Arbeiten im Krisenmodus“", "talk",
      "demografiestrategie,arbeit,digitalisierung", "review,plan",
      "Aufgezeichnete Impulse des Fachdiskurses zu Fachkräftemangel, Digitalisierung und "
      "Beteiligung in Zeiten vieler gleichzeitiger Krisen.",
      effort="low", time="je Vortrag 30 Minuten",
      sources=(ZWK + "werkzeugkoffer/Demografiestrategie/Arbeiten%20im%20Krisenmodus",),
      keywords="Video Vortrag Fachkräfte Krise Digitalisierung"),
]
