"""Names and texts of the generated rows. Plain ASCII-safe for COPY: no tab, no newline, no backslash."""

import unicodedata

# fmt: off
MALE_FIRST_NAMES = (
    "Adam", "Ahmed", "Alain", "Alexandre", "Ali", "Antoine", "Arthur", "Baptiste", "Bernard", "Bruno", "Cédric",
    "Christophe", "Claude", "Damien", "David", "Denis", "Didier", "Dylan", "Éric", "Étienne", "Fabien", "Florian",
    "François", "Frédéric", "Gabriel", "Gérard", "Guillaume", "Hugo", "Ibrahim", "Jacques", "Jean", "Jérôme",
    "Jonathan", "Julien", "Karim", "Kevin", "Laurent", "Louis", "Lucas", "Mamadou", "Marc", "Mathieu", "Maxime",
    "Mehdi", "Michel", "Mohamed", "Moussa", "Nicolas", "Olivier", "Pascal", "Patrick", "Paul", "Philippe", "Pierre",
    "Quentin", "Raphaël", "Rémi", "Romain", "Samir", "Sébastien", "Stéphane", "Sylvain", "Théo", "Thierry", "Thomas",
    "Vincent", "Yacine", "Yann", "Yannick", "Youssef",
)
FEMALE_FIRST_NAMES = (
    "Aïcha", "Alice", "Amandine", "Amina", "Anne", "Aurélie", "Camille", "Caroline", "Catherine", "Céline", "Chantal",
    "Chloé", "Christine", "Claire", "Corinne", "Delphine", "Élodie", "Émilie", "Emma", "Fatima", "Fatoumata",
    "Florence", "Françoise", "Hélène", "Inès", "Isabelle", "Jade", "Jeanne", "Julie", "Karima", "Laetitia", "Laura",
    "Léa", "Louise", "Lucie", "Manon", "Marie", "Marine", "Martine", "Mélanie", "Monique", "Nadia", "Nathalie",
    "Nicole", "Océane", "Patricia", "Pauline", "Rachida", "Sabrina", "Samia", "Sandrine", "Sarah", "Séverine",
    "Sophie", "Stéphanie", "Sylvie", "Valérie", "Véronique", "Virginie", "Yasmine", "Zoé",
)
LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
    "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis",
    "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly",
    "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt",
    "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
    "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
    "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier",
    "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer",
    "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault",
    "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall",
    "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
    "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
    "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez",
    "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva",
    "Bouchet", "Gay", "Lemaître", "Benard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret",
    "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
    "Diallo", "Traoré", "Camara", "Diop", "Benali", "Haddad", "Mansouri", "Belkacem", "Nguyen", "Tran", "Cissé",
    "Keita", "Mendy", "Sylla", "Touré", "Kaya", "Yilmaz", "Ferreira", "Dos Santos", "Pereira", "Rodrigues",
)
STREET_NAMES = (
    "rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue Pasteur", "place de la Mairie",
    "rue du Général de Gaulle", "boulevard Gambetta", "rue des Écoles", "rue de la Gare", "avenue de la Libération",
    "rue Jules Ferry", "rue du Moulin", "chemin des Vignes", "rue des Lilas", "allée des Tilleuls", "rue Émile Zola",
    "rue de l'Église", "impasse des Acacias", "rue Voltaire", "avenue du Maréchal Foch", "rue Jean Moulin",
    "rue de la Paix", "cours de la Liberté", "rue Aristide Briand", "rue Louise Michel", "rue Nationale",
)
# fmt: on
COMPANY_NAME_PATTERNS = {
    "ACI": (
        "Chantier d'insertion de {city}",
        "Les Jardins de {city}",
        "Ressourcerie de {city}",
        "Atelier vélo {city}",
    ),
    "AI": ("Association intermédiaire de {city}", "Solidarité emploi {city}", "Services de proximité {city}"),
    "EI": ("Recyclage solidaire {city}", "Entreprise d'insertion de {city}", "Bâtir ensemble {city}"),
    "ETTI": ("Intérim d'insertion {city}", "Tremplin intérim {city}"),
    "EITI": ("Coopérative d'activités {city}", "Entreprendre autrement {city}"),
    "GEIQ": ("GEIQ BTP {department}", "GEIQ Propreté {department}", "GEIQ Industrie {department}"),
    "EA": ("Entreprise adaptée de {city}", "Atelier protégé {city}"),
}
NAF_BY_KIND = {
    "ACI": ("8899B", "3832Z", "8130Z"),
    "AI": ("7830Z", "8810C"),
    "EI": ("3832Z", "4399C", "8121Z"),
    "ETTI": ("7820Z",),
    "EITI": ("7022Z", "8299Z"),
    "GEIQ": ("7830Z",),
    "EA": ("8299Z", "1812Z", "8121Z"),
}
PRESCRIBER_NAME_PATTERNS = {
    "FT": "France Travail {city}",
    "ML": "Mission locale de {city}",
    "CAP_EMPLOI": "Cap emploi {department}",
    "DEPT": "Service social départemental de {city}",
    "SPIP": "SPIP de {city}",
    "PJJ": "PJJ de {city}",
    "CHRS": "CHRS de {city}",
    "CCAS": "CCAS de {city}",
    "CADA": "CADA de {city}",
    "PLIE": "PLIE de {city}",
    "ODC": "Insertion RSA {department}",
    "E2C": "École de la deuxième chance de {city}",
    "Autre": "Association d'entraide de {city}",
}

APPLICATION_MESSAGES = (
    "Bonjour, je vous adresse cette candidature : la personne est motivée et disponible rapidement.",
    "Bonjour, je suis à la recherche d'un emploi et votre structure m'intéresse beaucoup.",
    "Candidature orientée après un entretien de diagnostic : projet professionnel validé.",
    "Personne accompagnée depuis plusieurs mois, prête à reprendre une activité.",
    "Bonjour, je souhaite rejoindre votre équipe. Je suis disponible immédiatement.",
)
POSTPONE_ANSWER = "Votre candidature est en attente : nous revenons vers vous dès qu'un poste se libère."
POOL_ANSWER = "Votre candidature est conservée dans notre vivier : nous vous recontacterons."
ACCEPT_ANSWER = "Nous avons le plaisir de vous confirmer votre embauche."
REFUSAL_ANSWER = "Nous ne pouvons pas donner une suite favorable à votre candidature pour le moment."
AUTO_REFUSAL_ANSWER = (
    "Votre candidature est restée sans réponse pendant deux mois : elle a été déclinée automatiquement."
)
REFUSAL_ANSWER_TO_PRESCRIBER = "Candidature déclinée : nous restons disponibles pour en parler."
JOB_DESCRIPTION_TEXT = "Missions variées au sein d'une équipe encadrée, avec un accompagnement socioprofessionnel."
PROFILE_TEXT = "Aucun diplôme requis : motivation et ponctualité."


def ascii_slug(text: str) -> str:
    """ "Hélène Le Goff" → "helene-le-goff": the local part of generated e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("'", " ").split())
