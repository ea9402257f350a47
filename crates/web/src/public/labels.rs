//! The words of the public pages, in the languages the network's members read (those the
//! event date lines support). Each language is one value of [`Labels`], so a label missing
//! in one language does not compile. `{handle}`, `{name}` and `{count}` are filled by
//! [`fill`].

/// Every label of the public pages.
pub struct Labels {
    pub not_found: &'static str,
    pub nothing_public: &'static str,
    pub cancelled: &'static str,
    pub tentative: &'static str,
    pub when: &'static str,
    pub place: &'static str,
    pub online: &'static str,
    pub organised_by: &'static str,
    pub seats_left: &'static str,
    pub category: &'static str,
    pub add_ics: &'static str,
    pub add_google: &'static str,
    pub register: &'static str,
    pub resources: &'static str,
    pub will_you_come: &'static str,
    pub join_from_app: &'static str,
    /// With `{handle}` (the organiser's) and `{name}`.
    pub ask_how: &'static str,
    pub ask_again: &'static str,
    pub ask_button: &'static str,
    /// With `{handle}`.
    pub asked: &'static str,
    pub ask_failed: &'static str,
    pub subscribe: &'static str,
    pub calendar_file: &'static str,
    /// With `{handle}`.
    pub follow_hint: &'static str,
    pub upcoming: &'static str,
    pub no_events: &'static str,
    pub no_resources: &'static str,
    pub members: &'static str,
    /// With `{count}`: one member, and more than one.
    pub member_one: &'static str,
    pub member_many: &'static str,
    pub shared_by: &'static str,
    pub licence: &'static str,
    pub folder: &'static str,
    pub open_link: &'static str,
    pub about: &'static str,
    pub rules: &'static str,
    pub no_rules: &'static str,
    pub moderators: &'static str,
    pub network: &'static str,
    pub network_intro: &'static str,
    pub no_network: &'static str,
}

/// The labels for `lang` (one of `events::text::LANGUAGES`), English otherwise.
pub fn of(lang: &str) -> &'static Labels {
    match lang {
        "fr" => &FR,
        "nl" => &NL,
        "el" => &EL,
        "lv" => &LV,
        "es" => &ES,
        "de" => &DE,
        _ => &EN,
    }
}

/// A label with its placeholders filled.
pub fn fill(label: &str, pairs: &[(&str, &str)]) -> String {
    pairs.iter().fold(label.to_owned(), |text, (key, value)| {
        text.replace(&format!("{{{key}}}"), value)
    })
}

/// "1 member", "12 members", with the language's plural rule (Latvian's singular also
/// serves 21, 31...).
pub fn member_count(lang: &str, n: u64) -> String {
    let labels = of(lang);
    let one = match lang {
        "lv" => n % 10 == 1 && n % 100 != 11,
        "fr" => n <= 1,
        _ => n == 1,
    };
    let label = if one {
        labels.member_one
    } else {
        labels.member_many
    };
    fill(label, &[("count", &n.to_string())])
}

const EN: Labels = Labels {
    not_found: "Not found",
    nothing_public: "There is nothing public at this address.",
    cancelled: "This event is cancelled.",
    tentative: "This event is not confirmed yet.",
    when: "When",
    place: "Where",
    online: "Online",
    organised_by: "Organised by",
    seats_left: "Seats left",
    category: "Category",
    add_ics: "Add to calendar (.ics)",
    add_google: "Add to Google Calendar",
    register: "Register",
    resources: "Resources",
    will_you_come: "Will you come?",
    join_from_app: "From Passage, Mobilizon or Friendica: search for this address in your app and choose to join:",
    ask_how: "From Mastodon or any other server: follow {handle} (so that your server shows you its private messages), then give your address, and {name} sends you a private poll to answer.",
    ask_again: "Already answered? Send the question again to change your answer.",
    ask_button: "Send me the question",
    asked: "Sent: look for a private mention from {handle} and vote.",
    ask_failed: "The question could not be sent:",
    subscribe: "Subscribe to the calendar",
    calendar_file: "Calendar file (.ics)",
    follow_hint: "Follow {handle} from any Mastodon-compatible app to get its news, events and resources.",
    upcoming: "Upcoming events",
    no_events: "None announced yet.",
    no_resources: "None shared yet.",
    members: "Members",
    member_one: "{count} member",
    member_many: "{count} members",
    shared_by: "Shared by",
    licence: "Licence",
    folder: "Folder",
    open_link: "Open the link",
    about: "About",
    rules: "Rules",
    no_rules: "No rules are written yet.",
    moderators: "Moderators",
    network: "The network",
    network_intro: "Organisations and cities of the servers this one recognises as its network, as last visited.",
    no_network: "No server of the network has been visited yet.",
};

const FR: Labels = Labels {
    not_found: "Introuvable",
    nothing_public: "Il n’y a rien de public à cette adresse.",
    cancelled: "Cet événement est annulé.",
    tentative: "Cet événement n’est pas encore confirmé.",
    when: "Quand",
    place: "Où",
    online: "En ligne",
    organised_by: "Organisé par",
    seats_left: "Places restantes",
    category: "Catégorie",
    add_ics: "Ajouter au calendrier (.ics)",
    add_google: "Ajouter à Google Agenda",
    register: "S’inscrire",
    resources: "Ressources",
    will_you_come: "Vous venez ?",
    join_from_app: "Depuis Passage, Mobilizon ou Friendica : cherchez cette adresse dans votre application et choisissez de participer :",
    ask_how: "Depuis Mastodon ou tout autre serveur : suivez {handle} (pour que votre serveur vous montre ses messages privés), puis donnez votre adresse, et {name} vous envoie un sondage privé auquel répondre.",
    ask_again: "Déjà répondu ? Demandez à nouveau la question pour changer votre réponse.",
    ask_button: "Envoyez-moi la question",
    asked: "Envoyé : cherchez une mention privée de {handle} et votez.",
    ask_failed: "La question n’a pas pu être envoyée :",
    subscribe: "S’abonner au calendrier",
    calendar_file: "Fichier de calendrier (.ics)",
    follow_hint: "Suivez {handle} depuis n’importe quelle application compatible avec Mastodon pour recevoir ses nouvelles, événements et ressources.",
    upcoming: "Événements à venir",
    no_events: "Aucun annoncé pour l’instant.",
    no_resources: "Aucune partagée pour l’instant.",
    members: "Membres",
    member_one: "{count} membre",
    member_many: "{count} membres",
    shared_by: "Partagé par",
    licence: "Licence",
    folder: "Dossier",
    open_link: "Ouvrir le lien",
    about: "À propos",
    rules: "Règles",
    no_rules: "Aucune règle n’est encore écrite.",
    moderators: "Modération",
    network: "Le réseau",
    network_intro: "Organisations et villes des serveurs que celui-ci reconnaît comme son réseau, lors de la dernière visite.",
    no_network: "Aucun serveur du réseau n’a encore été visité.",
};

const NL: Labels = Labels {
    not_found: "Niet gevonden",
    nothing_public: "Er is niets openbaars op dit adres.",
    cancelled: "Dit evenement is geannuleerd.",
    tentative: "Dit evenement is nog niet bevestigd.",
    when: "Wanneer",
    place: "Waar",
    online: "Online",
    organised_by: "Georganiseerd door",
    seats_left: "Plaatsen over",
    category: "Categorie",
    add_ics: "Toevoegen aan agenda (.ics)",
    add_google: "Toevoegen aan Google Agenda",
    register: "Inschrijven",
    resources: "Bronnen",
    will_you_come: "Kom je?",
    join_from_app: "Vanuit Passage, Mobilizon of Friendica: zoek dit adres in je app en kies deelnemen:",
    ask_how: "Vanuit Mastodon of een andere server: volg {handle} (zodat je server je de privéberichten toont), geef dan je adres, en {name} stuurt je een privé-peiling om te beantwoorden.",
    ask_again: "Al geantwoord? Vraag de vraag opnieuw aan om je antwoord te wijzigen.",
    ask_button: "Stuur me de vraag",
    asked: "Verstuurd: zoek een privévermelding van {handle} en stem.",
    ask_failed: "De vraag kon niet worden verstuurd:",
    subscribe: "Abonneren op de agenda",
    calendar_file: "Agendabestand (.ics)",
    follow_hint: "Volg {handle} vanuit elke Mastodon-compatibele app voor nieuws, evenementen en bronnen.",
    upcoming: "Komende evenementen",
    no_events: "Nog niets aangekondigd.",
    no_resources: "Nog niets gedeeld.",
    members: "Leden",
    member_one: "{count} lid",
    member_many: "{count} leden",
    shared_by: "Gedeeld door",
    licence: "Licentie",
    folder: "Map",
    open_link: "Link openen",
    about: "Over",
    rules: "Regels",
    no_rules: "Er zijn nog geen regels.",
    moderators: "Moderatoren",
    network: "Het netwerk",
    network_intro: "Organisaties en steden van de servers die deze server als zijn netwerk erkent, zoals bij het laatste bezoek.",
    no_network: "Er is nog geen server van het netwerk bezocht.",
};

const EL: Labels = Labels {
    not_found: "Δεν βρέθηκε",
    nothing_public: "Δεν υπάρχει τίποτα δημόσιο σε αυτή τη διεύθυνση.",
    cancelled: "Αυτή η εκδήλωση ακυρώθηκε.",
    tentative: "Αυτή η εκδήλωση δεν έχει επιβεβαιωθεί ακόμη.",
    when: "Πότε",
    place: "Πού",
    online: "Διαδικτυακά",
    organised_by: "Διοργάνωση",
    seats_left: "Διαθέσιμες θέσεις",
    category: "Κατηγορία",
    add_ics: "Προσθήκη στο ημερολόγιο (.ics)",
    add_google: "Προσθήκη στο Google Calendar",
    register: "Εγγραφή",
    resources: "Υλικό",
    will_you_come: "Θα έρθετε;",
    join_from_app: "Από Passage, Mobilizon ή Friendica: αναζητήστε αυτή τη διεύθυνση στην εφαρμογή σας και επιλέξτε συμμετοχή:",
    ask_how: "Από Mastodon ή άλλο διακομιστή: ακολουθήστε τον λογαριασμό {handle} (ώστε ο διακομιστής σας να σας δείχνει τα ιδιωτικά του μηνύματα), δώστε τη διεύθυνσή σας και ο λογαριασμός {name} θα σας στείλει μια ιδιωτική δημοσκόπηση για να απαντήσετε.",
    ask_again: "Απαντήσατε ήδη; Ζητήστε ξανά την ερώτηση για να αλλάξετε την απάντησή σας.",
    ask_button: "Στείλτε μου την ερώτηση",
    asked: "Στάλθηκε: αναζητήστε μια ιδιωτική αναφορά από τον λογαριασμό {handle} και ψηφίστε.",
    ask_failed: "Η ερώτηση δεν μπόρεσε να σταλεί:",
    subscribe: "Συνδρομή στο ημερολόγιο",
    calendar_file: "Αρχείο ημερολογίου (.ics)",
    follow_hint: "Ακολουθήστε τον λογαριασμό {handle} από οποιαδήποτε εφαρμογή συμβατή με το Mastodon για νέα, εκδηλώσεις και υλικό.",
    upcoming: "Επερχόμενες εκδηλώσεις",
    no_events: "Καμία ανακοίνωση ακόμη.",
    no_resources: "Τίποτα κοινοποιημένο ακόμη.",
    members: "Μέλη",
    member_one: "{count} μέλος",
    member_many: "{count} μέλη",
    shared_by: "Κοινοποίηση από",
    licence: "Άδεια",
    folder: "Φάκελος",
    open_link: "Άνοιγμα συνδέσμου",
    about: "Σχετικά",
    rules: "Κανόνες",
    no_rules: "Δεν έχουν γραφτεί ακόμη κανόνες.",
    moderators: "Συντονιστές",
    network: "Το δίκτυο",
    network_intro: "Οργανισμοί και πόλεις των διακομιστών που αυτός ο διακομιστής αναγνωρίζει ως δίκτυό του, όπως στην τελευταία επίσκεψη.",
    no_network: "Δεν έχει επισκεφθεί ακόμη κανένας διακομιστής του δικτύου.",
};

const LV: Labels = Labels {
    not_found: "Nav atrasts",
    nothing_public: "Šajā adresē nav nekā publiska.",
    cancelled: "Šis pasākums ir atcelts.",
    tentative: "Šis pasākums vēl nav apstiprināts.",
    when: "Kad",
    place: "Kur",
    online: "Tiešsaistē",
    organised_by: "Organizē",
    seats_left: "Brīvās vietas",
    category: "Kategorija",
    add_ics: "Pievienot kalendāram (.ics)",
    add_google: "Pievienot Google kalendāram",
    register: "Reģistrēties",
    resources: "Materiāli",
    will_you_come: "Vai jūs ieradīsieties?",
    join_from_app: "No Passage, Mobilizon vai Friendica: meklējiet šo adresi savā lietotnē un izvēlieties pievienoties:",
    ask_how: "No Mastodon vai cita servera: sekojiet {handle} (lai jūsu serveris rādītu tā privātās ziņas), tad norādiet savu adresi, un {name} jums nosūtīs privātu aptauju atbildei.",
    ask_again: "Jau atbildējāt? Pieprasiet jautājumu vēlreiz, lai mainītu atbildi.",
    ask_button: "Sūtiet man jautājumu",
    asked: "Nosūtīts: meklējiet privātu pieminējumu no {handle} un balsojiet.",
    ask_failed: "Jautājumu neizdevās nosūtīt:",
    subscribe: "Abonēt kalendāru",
    calendar_file: "Kalendāra fails (.ics)",
    follow_hint: "Sekojiet {handle} no jebkuras ar Mastodon saderīgas lietotnes, lai saņemtu jaunumus, pasākumus un materiālus.",
    upcoming: "Gaidāmie pasākumi",
    no_events: "Pagaidām nekas nav izziņots.",
    no_resources: "Pagaidām nekas nav kopīgots.",
    members: "Biedri",
    member_one: "{count} biedrs",
    member_many: "{count} biedri",
    shared_by: "Kopīgoja",
    licence: "Licence",
    folder: "Mape",
    open_link: "Atvērt saiti",
    about: "Par",
    rules: "Noteikumi",
    no_rules: "Noteikumi vēl nav uzrakstīti.",
    moderators: "Moderatori",
    network: "Tīkls",
    network_intro: "Organizācijas un pilsētas no serveriem, ko šis serveris atzīst par savu tīklu, kā redzētas pēdējā apmeklējumā.",
    no_network: "Neviens tīkla serveris vēl nav apmeklēts.",
};

const ES: Labels = Labels {
    not_found: "No encontrado",
    nothing_public: "No hay nada público en esta dirección.",
    cancelled: "Este evento está cancelado.",
    tentative: "Este evento aún no está confirmado.",
    when: "Cuándo",
    place: "Dónde",
    online: "En línea",
    organised_by: "Organizado por",
    seats_left: "Plazas libres",
    category: "Categoría",
    add_ics: "Añadir al calendario (.ics)",
    add_google: "Añadir a Google Calendar",
    register: "Inscribirse",
    resources: "Recursos",
    will_you_come: "¿Vendrás?",
    join_from_app: "Desde Passage, Mobilizon o Friendica: busca esta dirección en tu aplicación y elige participar:",
    ask_how: "Desde Mastodon o cualquier otro servidor: sigue a {handle} (para que tu servidor te muestre sus mensajes privados), después indica tu dirección y {name} te enviará una encuesta privada para responder.",
    ask_again: "¿Ya respondiste? Pide la pregunta de nuevo para cambiar tu respuesta.",
    ask_button: "Envíame la pregunta",
    asked: "Enviado: busca una mención privada de {handle} y vota.",
    ask_failed: "No se pudo enviar la pregunta:",
    subscribe: "Suscribirse al calendario",
    calendar_file: "Archivo de calendario (.ics)",
    follow_hint: "Sigue a {handle} desde cualquier aplicación compatible con Mastodon para recibir sus noticias, eventos y recursos.",
    upcoming: "Próximos eventos",
    no_events: "Ninguno anunciado todavía.",
    no_resources: "Ninguno compartido todavía.",
    members: "Miembros",
    member_one: "{count} miembro",
    member_many: "{count} miembros",
    shared_by: "Compartido por",
    licence: "Licencia",
    folder: "Carpeta",
    open_link: "Abrir el enlace",
    about: "Acerca de",
    rules: "Normas",
    no_rules: "Aún no hay normas escritas.",
    moderators: "Moderación",
    network: "La red",
    network_intro: "Organizaciones y ciudades de los servidores que este reconoce como su red, según la última visita.",
    no_network: "Aún no se ha visitado ningún servidor de la red.",
};

const DE: Labels = Labels {
    not_found: "Nicht gefunden",
    nothing_public: "Unter dieser Adresse ist nichts öffentlich.",
    cancelled: "Diese Veranstaltung ist abgesagt.",
    tentative: "Diese Veranstaltung ist noch nicht bestätigt.",
    when: "Wann",
    place: "Wo",
    online: "Online",
    organised_by: "Veranstaltet von",
    seats_left: "Freie Plätze",
    category: "Kategorie",
    add_ics: "Zum Kalender hinzufügen (.ics)",
    add_google: "Zu Google Kalender hinzufügen",
    register: "Anmelden",
    resources: "Materialien",
    will_you_come: "Kommst du?",
    join_from_app: "Aus Passage, Mobilizon oder Friendica: Suche diese Adresse in deiner App und wähle Teilnehmen:",
    ask_how: "Aus Mastodon oder einem anderen Server: Folge {handle} (damit dein Server dir dessen private Nachrichten zeigt), gib dann deine Adresse an, und {name} schickt dir eine private Umfrage zum Beantworten.",
    ask_again: "Schon geantwortet? Fordere die Frage erneut an, um deine Antwort zu ändern.",
    ask_button: "Schick mir die Frage",
    asked: "Gesendet: Suche eine private Erwähnung von {handle} und stimme ab.",
    ask_failed: "Die Frage konnte nicht gesendet werden:",
    subscribe: "Kalender abonnieren",
    calendar_file: "Kalenderdatei (.ics)",
    follow_hint: "Folge {handle} aus jeder Mastodon-kompatiblen App, um Neuigkeiten, Veranstaltungen und Materialien zu erhalten.",
    upcoming: "Kommende Veranstaltungen",
    no_events: "Noch nichts angekündigt.",
    no_resources: "Noch nichts geteilt.",
    members: "Mitglieder",
    member_one: "{count} Mitglied",
    member_many: "{count} Mitglieder",
    shared_by: "Geteilt von",
    licence: "Lizenz",
    folder: "Ordner",
    open_link: "Link öffnen",
    about: "Über",
    rules: "Regeln",
    no_rules: "Es gibt noch keine Regeln.",
    moderators: "Moderation",
    network: "Das Netzwerk",
    network_intro: "Organisationen und Städte der Server, die dieser als sein Netzwerk anerkennt, wie beim letzten Besuch gesehen.",
    no_network: "Noch wurde kein Server des Netzwerks besucht.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_plurals_follow_the_language() {
        let text = fill(of("fr").asked, &[("handle", "@mile@passage.example")]);
        assert_eq!(
            text,
            "Envoyé : cherchez une mention privée de @mile@passage.example et votez."
        );
        assert_eq!(member_count("en", 1), "1 member");
        assert_eq!(member_count("en", 0), "0 members");
        assert_eq!(member_count("fr", 0), "0 membre");
        assert_eq!(member_count("lv", 21), "21 biedrs");
        assert_eq!(member_count("lv", 11), "11 biedri");
        assert_eq!(of("xx").when, "When");
        // Every language fills the same placeholders.
        for lang in ["en", "fr", "nl", "el", "lv", "es", "de"] {
            let l = of(lang);
            assert!(l.ask_how.contains("{handle}") && l.ask_how.contains("{name}"));
            assert!(l.asked.contains("{handle}") && l.follow_hint.contains("{handle}"));
            assert!(l.member_one.contains("{count}") && l.member_many.contains("{count}"));
        }
    }
}
