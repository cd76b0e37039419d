package roster

// Enum values are the SS 12000 v2.1.0 Swedish values verbatim, so that a
// value read from the wire needs no translation and CEL filters in Mapping
// rules can use the words school administrators see in their register.
// Sources that are not SS 12000 translate into these values.

// OrganisationType is SS 12000 OrganisationTypeEnum.
type OrganisationType string

const (
	OrganisationHuvudman          OrganisationType = "Huvudman"
	OrganisationVerksamhetsomrade OrganisationType = "Verksamhetsområde"
	OrganisationForvaltning       OrganisationType = "Förvaltning"
	OrganisationRektorsomrade     OrganisationType = "Rektorsområde"
	OrganisationSkola             OrganisationType = "Skola"
	OrganisationSkolenhet         OrganisationType = "Skolenhet"
	OrganisationVarumarke         OrganisationType = "Varumärke"
	OrganisationBolag             OrganisationType = "Bolag"
	OrganisationOvrigt            OrganisationType = "Övrigt"
)

// SchoolType is SS 12000 SchoolTypesEnum (skolform).
type SchoolType string

const (
	SchoolTypeFS       SchoolType = "FS"     // Förskola
	SchoolTypeFKLASS   SchoolType = "FKLASS" // Förskoleklass
	SchoolTypeFTH      SchoolType = "FTH"    // Fritidshem
	SchoolTypeOPPFTH   SchoolType = "OPPFTH" // Öppen fritidsverksamhet
	SchoolTypeGR       SchoolType = "GR"     // Grundskola
	SchoolTypeGRS      SchoolType = "GRS"    // Grundsärskola
	SchoolTypeTR       SchoolType = "TR"     // Träningsskolan
	SchoolTypeSP       SchoolType = "SP"     // Specialskola
	SchoolTypeSAM      SchoolType = "SAM"    // Sameskola
	SchoolTypeGY       SchoolType = "GY"     // Gymnasieskola
	SchoolTypeGYS      SchoolType = "GYS"    // Gymnasiesärskola
	SchoolTypeVUX      SchoolType = "VUX"    // Kommunal vuxenutbildning
	SchoolTypeVUXSFI   SchoolType = "VUXSFI"
	SchoolTypeVUXGR    SchoolType = "VUXGR"
	SchoolTypeVUXGY    SchoolType = "VUXGY"
	SchoolTypeVUXSARGR SchoolType = "VUXSARGR"
	SchoolTypeVUXSARTR SchoolType = "VUXSARTR"
	SchoolTypeVUXSARGY SchoolType = "VUXSARGY"
	SchoolTypeSFI      SchoolType = "SFI"
	SchoolTypeSARVUX   SchoolType = "SARVUX"
	SchoolTypeSARVUXGR SchoolType = "SARVUXGR"
	SchoolTypeSARVUXGY SchoolType = "SARVUXGY"
	SchoolTypeKU       SchoolType = "KU"
	SchoolTypeYH       SchoolType = "YH"
	SchoolTypeFHS      SchoolType = "FHS"
	SchoolTypeSTF      SchoolType = "STF"
	SchoolTypeKKU      SchoolType = "KKU"
	SchoolTypeHS       SchoolType = "HS"
	SchoolTypeABU      SchoolType = "ABU"
	SchoolTypeAU       SchoolType = "AU"
)

// schoolTypesWithoutUnitCode are the school types for which Skolverket does
// not assign a skolenhetskod (the spec: "Används för de skolformer där
// skolverket bestämmer en skolenhetskod"), so a unit offering only these may
// leave SchoolUnitCode empty.
var schoolTypesWithoutUnitCode = map[SchoolType]bool{
	SchoolTypeFS: true, SchoolTypeFTH: true, SchoolTypeOPPFTH: true,
}

// GroupType is SS 12000 GroupTypesEnum.
type GroupType string

const (
	GroupUndervisning  GroupType = "Undervisning"
	GroupKlass         GroupType = "Klass"
	GroupMentor        GroupType = "Mentor"
	GroupProvgrupp     GroupType = "Provgrupp"
	GroupSchema        GroupType = "Schema"
	GroupAvdelning     GroupType = "Avdelning"
	GroupPersonalgrupp GroupType = "Personalgrupp"
	GroupOvrigt        GroupType = "Övrigt"
)

// DutyRole is SS 12000 DutyRole (personalkategori). There is no
// "Elevassistent" value: registers use Lärarassistent or Annan personal with
// Duty.Description saying what the job is.
type DutyRole string

const (
	DutyRektor                  DutyRole = "Rektor"
	DutyLarare                  DutyRole = "Lärare"
	DutyForskollarare           DutyRole = "Förskollärare"
	DutyBarnskotare             DutyRole = "Barnskötare"
	DutyBibliotekarie           DutyRole = "Bibliotekarie"
	DutyLararassistent          DutyRole = "Lärarassistent"
	DutyFritidspedagog          DutyRole = "Fritidspedagog"
	DutyAnnanPersonal           DutyRole = "Annan personal"
	DutyStudieOchYrkesvagledare DutyRole = "Studie- och yrkesvägledare"
	DutyForstelarare            DutyRole = "Förstelärare"
	DutyKurator                 DutyRole = "Kurator"
	DutySkolskoterska           DutyRole = "Skolsköterska"
	DutySkollakare              DutyRole = "Skolläkare"
	DutySkolpsykolog            DutyRole = "Skolpsykolog"
	DutySpeciallarare           DutyRole = "Speciallärare/specialpedagog"
	DutySkoladministrator       DutyRole = "Skoladministratör"
	DutyOvrigArbetsledning      DutyRole = "Övrig arbetsledning"
	DutyOvrigPedagogiskPersonal DutyRole = "Övrig pedagogisk personal" // deprecated in 2.1.0
	DutyForskolechef            DutyRole = "Förskolechef"              // deprecated in 2.1.0
)

// AssignmentRoleType is SS 12000 AssignmentRoleTypeEnum: a duty's task in
// relation to a group. Teaching is not an assignment role; it is expressed by
// Activity.Teachers.
type AssignmentRoleType string

const (
	AssignmentMentor                AssignmentRoleType = "Mentor"
	AssignmentForskollarare         AssignmentRoleType = "Förskollärare"
	AssignmentBarnskotare           AssignmentRoleType = "Barnskötare"
	AssignmentFritidspedagog        AssignmentRoleType = "Fritidspedagog"
	AssignmentSpecialpedagog        AssignmentRoleType = "Specialpedagog"
	AssignmentElevhalsopersonal     AssignmentRoleType = "Elevhälsopersonal"
	AssignmentPedagogiskLedare      AssignmentRoleType = "Pedagogisk ledare"
	AssignmentSchemalaggare         AssignmentRoleType = "Schemaläggare"
	AssignmentLararassistent        AssignmentRoleType = "Lärarassistent"
	AssignmentAdministrativPersonal AssignmentRoleType = "Administrativ personal"
)

// SecurityMarking is SS 12000 Person.securityMarking, mirroring the
// Swedish population register. Anything but SecurityNone is excluded from
// rooms by default (ARCHITECTURE.md §6).
type SecurityMarking string

const (
	SecurityNone                 SecurityMarking = "Ingen"
	SecuritySekretessmarkering   SecurityMarking = "Sekretessmarkering"
	SecuritySkyddadFolkbokforing SecurityMarking = "Skyddad folkbokföring"
)

// PersonStatus is SS 12000 Person.personStatus (default Aktiv).
type PersonStatus string

const (
	PersonAktiv     PersonStatus = "Aktiv"
	PersonUtvandrad PersonStatus = "Utvandrad"
	PersonAvliden   PersonStatus = "Avliden"
)

// EmailType is SS 12000 Email.type.
type EmailType string

const (
	EmailPrivat        EmailType = "Privat"
	EmailSkolaElev     EmailType = "Skola elev"
	EmailSkolaPersonal EmailType = "Skola personal"
	EmailArbeteOvrigt  EmailType = "Arbete övrigt"
)

// ActivityType is SS 12000 Activity.activityType.
type ActivityType string

const (
	ActivityUndervisning   ActivityType = "Undervisning"
	ActivityElevaktivitet  ActivityType = "Elevaktivitet"
	ActivityProvaktivitet  ActivityType = "Provaktivitet"
	ActivityLararaktivitet ActivityType = "Läraraktivitet"
	ActivityOvrigt         ActivityType = "Övrigt"
)
