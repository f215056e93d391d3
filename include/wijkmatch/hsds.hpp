// Real directories in: offers from Open Referral HSDS 3.x (JSON documents or the tabular
// datapackage) and from the Amsterdam poverty directory, and offers out as HSDS 3.1 JSON.
// See docs/hsds.md for the mapping and for what is lost each way.
//
// An import either gives every offer it could map or throws InputError: nothing is
// half-imported. Data that is wrong (a dangling service_id, a bad time, available above
// maximum, a latitude of 100) is a located error; data that is fine but does not say what
// wijkmatch needs (no taxonomy term a mapping rule knows, no physical location) makes the
// service "unmapped" with a reason, never guessed; what is dropped on the way (monthly
// rules, holidays, a cost per session) is a warning on the offer.
#pragma once
#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wijkmatch/domain.hpp"
#include "wijkmatch/error.hpp"
#include "wijkmatch/model.hpp"

namespace wijkmatch {

/// WGS84 latitude and longitude (degrees) to RD New (EPSG:28992) metres, with the polynomial
/// of Schreutelkamp and Strang van Hees (2001). Accurate to about 1 m inside the Netherlands
/// (measured against PROJ 9.1's EPSG transformation: within 0.35 m, docs/hsds.md); meaningless
/// far outside it. O(1).
Location wgs84_to_rd(double latitude, double longitude) noexcept;
/// The inverse polynomial: RD New metres to WGS84 {latitude, longitude} in degrees. O(1).
std::array<double, 2> rd_to_wgs84(Location rd) noexcept;

/// One rule of a mapping: a taxonomy term it matches and what that term says about the offer.
struct HsdsRule {
  std::string taxonomy;  ///< the term's taxonomy must equal this (case-insensitive); empty = any
  std::string code;      ///< the term's code must equal this (case-insensitive); empty = any
  std::string name;      ///< the term's name must equal this (case-insensitive); empty = any
  std::string kind;      ///< wijkmatch kind of offer (identifier); empty = the rule sets no kind
  std::optional<LadderLevel> level{};
  std::array<double, life_domain_count> fit{};  ///< fit weight per domain; 0 = not served
  friend bool operator==(const HsdsRule&, const HsdsRule&) = default;
};

/// A place for records that name an area instead of coordinates (the Amsterdam directory's
/// city districts): a CBS neighbourhood code and a WGS84 point.
struct HsdsArea {
  std::string neighbourhood;
  double latitude = 0.0;
  double longitude = 0.0;
  friend bool operator==(const HsdsArea&, const HsdsArea&) = default;
};

/// How source records become offers (a JSON document, schema/wijkmatch-hsds-mapping.schema.json;
/// the documented default is examples/data/hsds-mapping-default.json).
struct HsdsMapping {
  std::vector<HsdsRule> rules;
  /// Seats of an offer whose source gives no capacity in people; 0 = such a service is unmapped.
  int default_seats = 0;
  /// Languages of an offer whose source names none; empty = such an offer has none.
  std::vector<std::string> default_languages{};
  /// Capacity units that count people (compared with the unit's identifier and name, case-insensitive).
  std::vector<std::string> capacity_units{"person", "people", "place", "places", "seat", "seats", "participant"};
  /// Every offer's CBS neighbourhood code; empty = from the location or the nearest label point.
  std::string neighbourhood{};
  /// The nearest CBS label point counts only within this distance.
  double max_neighbourhood_distance_m = 1500.0;
  /// Area code -> place, for sources that give areas (Amsterdam: stadsdeel).
  std::map<std::string, HsdsArea> areas{};
  friend bool operator==(const HsdsMapping&, const HsdsMapping&) = default;
};

/// Parses a mapping document; InputError with every problem (JSON pointers). O(size).
HsdsMapping parse_hsds_mapping(std::string_view json_text);
HsdsMapping load_hsds_mapping(const std::filesystem::path& path);

/// A CBS label point: a neighbourhood code and a point inside it.
struct LabelPoint {
  std::string code;
  Location location;  ///< RD New
};
/// Reads CBS label points (CSV with columns statcode, lat, lon, as in
/// nl_buurt_2014_labelpoints.csv); only BU codes are kept. InputError on a bad row. O(size).
std::vector<LabelPoint> load_label_points(const std::filesystem::path& path);

/// Something about one source record: where (file, record id, JSON pointer of the field within
/// the file; for CSV "/ROW/COLUMN" with data rows counted from 0) and why.
struct ImportNote {
  std::string file;
  std::string record;
  std::string pointer;
  std::string reason;
  friend bool operator==(const ImportNote&, const ImportNote&) = default;
};
/// "file#pointer: record ID: reason", the form errors and reports print.
std::string to_string(const ImportNote& note);

struct HsdsImportOptions {
  std::vector<LabelPoint> label_points{};  ///< for the nearest-neighbourhood rule; may be empty
  std::size_t max_problems = 100;          ///< errors collected before giving up
};

/// An import: the offers, each service that did not map and why, and warnings on what was lost.
struct HsdsImport {
  std::vector<Offer> offers;
  std::size_t records = 0;           ///< services (or directory records) read
  std::vector<ImportNote> unmapped;  ///< one per record that gave no offer
  std::vector<ImportNote> warnings;  ///< losses on imported offers (record = the offer's source id)
  std::size_t clean_offers = 0;      ///< offers imported without any warning
};

/// Imports HSDS 3.x from `path`: a JSON file (a service, an organization with services, a
/// service_at_location with its service, an array of these, or a paged list with "contents"), a
/// tabular datapackage directory (CSV files named as HSDS names them, services.csv and so on;
/// datapackage.json resources give other names) or a directory of JSON files. Each
/// service_at_location of a mapped service becomes one offer keyed by the service_at_location
/// id. Throws InputError, each problem "file#pointer" and "record ID: reason", when any record
/// is wrong; then nothing is returned. O(records + label points x locations).
HsdsImport import_hsds(const std::filesystem::path& path, const HsdsMapping& mapping,
                       const HsdsImportOptions& options = {});

/// Imports the Amsterdam poverty directory (amsterdam_armoede_aanbod.json: {"dataResult": [...]}
/// with naam, categorieen, levert, stadsdeel, ...) through the same mapping: the category is a
/// term of taxonomy "amsterdam_categorie", each line of "levert" a term of "amsterdam_levert",
/// and the stadsdeel an area of the mapping. Offer keys are "amsterdam:N", N the record's
/// position. Schedules and contact details are free text there, which is reported. O(records).
HsdsImport import_amsterdam(const std::filesystem::path& path, const HsdsMapping& mapping,
                            const HsdsImportOptions& options = {});

/// Adds imported offers to `model`: an offer whose key is already there replaces it but keeps who
/// runs it, its volunteers, its initiative and hours_per_seat (a directory does not know them);
/// residents' references stay valid. Then checks the model; InputError (and `model` unchanged)
/// when the result is invalid. O(model + offers).
void merge_offers(Model& model, const std::vector<Offer>& offers);

/// The model's offers as HSDS 3.1 JSON: an array of service documents, each with its
/// organization, one service_at_location with its location (WGS84 and the CBS code as
/// external identifier), schedules, service_capacity (unit "person"), languages, cost option,
/// ages and, as attributes of taxonomy "wijkmatch", what HSDS has no field for (level, domains,
/// kind, severity, referral, waiting days, group size, age bands, and the offer key, which an
/// import uses instead of the service_at_location id; every HSDS id is a UUID derived from the
/// key, so an export is reproducible). Offers without a
/// confirmation date get `unconfirmed_as_of` as capacity update time. Importing the result
/// with any mapping gives the same offers (locations to 1 cm), except volunteers, resident
/// organisers, initiatives and hours_per_seat (seats carried by volunteers), which HSDS cannot
/// carry. O(offers).
std::string export_hsds(const Model& model, Date unconfirmed_as_of, int indent = 2);

}  // namespace wijkmatch
