//! The domains a package is drawn from, and the names of domain packages.

pub(crate) struct Domain {
    /// Package and folder word.
    pub(crate) word: &'static str,
    /// The governed entity, PascalCase.
    pub(crate) resource: &'static str,
    /// The entity in snake_case, for operation names.
    pub(crate) snake: &'static str,
    /// The entity in prose.
    pub(crate) prose: &'static str,
    /// The collection's URL segment.
    pub(crate) plural: &'static str,
    /// Prefix of control and threat ids.
    pub(crate) prefix: &'static str,
    /// The owning team.
    pub(crate) team: &'static str,
}

pub(crate) const DOMAINS: &[Domain] = &[
    Domain {
        word: "billing",
        resource: "Invoice",
        snake: "invoice",
        prose: "invoice",
        plural: "invoices",
        prefix: "BIL",
        team: "Finance Engineering",
    },
    Domain {
        word: "claims",
        resource: "Claim",
        snake: "claim",
        prose: "claim",
        plural: "claims",
        prefix: "CLM",
        team: "Claims Platform",
    },
    Domain {
        word: "ledger",
        resource: "Journal",
        snake: "journal",
        prose: "journal",
        plural: "journals",
        prefix: "LED",
        team: "Finance Engineering",
    },
    Domain {
        word: "payments",
        resource: "Payment",
        snake: "payment",
        prose: "payment",
        plural: "payments",
        prefix: "PAY",
        team: "Payments",
    },
    Domain {
        word: "catalog",
        resource: "Dataset",
        snake: "dataset",
        prose: "dataset",
        plural: "datasets",
        prefix: "CAT",
        team: "Data Platform",
    },
    Domain {
        word: "imaging",
        resource: "Study",
        snake: "study",
        prose: "imaging study",
        plural: "studies",
        prefix: "IMG",
        team: "Clinical Systems",
    },
    Domain {
        word: "pharmacy",
        resource: "Prescription",
        snake: "prescription",
        prose: "prescription",
        plural: "prescriptions",
        prefix: "RX",
        team: "Clinical Systems",
    },
    Domain {
        word: "lab",
        resource: "Specimen",
        snake: "specimen",
        prose: "specimen",
        plural: "specimens",
        prefix: "LAB",
        team: "Clinical Systems",
    },
    Domain {
        word: "consent",
        resource: "ConsentRecord",
        snake: "consent_record",
        prose: "consent record",
        plural: "consents",
        prefix: "CON",
        team: "Privacy Engineering",
    },
    Domain {
        word: "scheduling",
        resource: "Appointment",
        snake: "appointment",
        prose: "appointment",
        plural: "appointments",
        prefix: "SCH",
        team: "Patient Experience",
    },
    Domain {
        word: "inventory",
        resource: "StockItem",
        snake: "stock_item",
        prose: "stock item",
        plural: "stock-items",
        prefix: "INV",
        team: "Supply Chain",
    },
    Domain {
        word: "shipping",
        resource: "Shipment",
        snake: "shipment",
        prose: "shipment",
        plural: "shipments",
        prefix: "SHP",
        team: "Supply Chain",
    },
    Domain {
        word: "pricing",
        resource: "PriceList",
        snake: "price_list",
        prose: "price list",
        plural: "price-lists",
        prefix: "PRC",
        team: "Revenue",
    },
    Domain {
        word: "reporting",
        resource: "Report",
        snake: "report",
        prose: "report",
        plural: "reports",
        prefix: "RPT",
        team: "Analytics",
    },
    Domain {
        word: "support",
        resource: "Case",
        snake: "support_case",
        prose: "support case",
        plural: "cases",
        prefix: "SUP",
        team: "Customer Support",
    },
    Domain {
        word: "people",
        resource: "Employee",
        snake: "employee",
        prose: "employee record",
        plural: "employees",
        prefix: "HR",
        team: "People Systems",
    },
    Domain {
        word: "contracts",
        resource: "Contract",
        snake: "contract",
        prose: "contract",
        plural: "contracts",
        prefix: "CTR",
        team: "Legal Engineering",
    },
    Domain {
        word: "vendors",
        resource: "Vendor",
        snake: "vendor",
        prose: "vendor record",
        plural: "vendors",
        prefix: "VND",
        team: "Procurement",
    },
    Domain {
        word: "telemetry",
        resource: "MetricStream",
        snake: "metric_stream",
        prose: "metric stream",
        plural: "metric-streams",
        prefix: "TEL",
        team: "Observability",
    },
    Domain {
        word: "accounts",
        resource: "Account",
        snake: "account",
        prose: "account",
        plural: "accounts",
        prefix: "ACC",
        team: "Identity",
    },
];

impl Domain {
    /// The entity's plural in prose, such as `price lists`.
    pub(crate) fn many(&self) -> String {
        self.plural.replace('-', " ")
    }
}

pub(crate) fn domain(i: usize) -> &'static Domain {
    let n = DOMAINS.len();
    DOMAINS.get(i % n).unwrap_or(&DOMAINS_FALLBACK)
}

pub(crate) const DOMAINS_FALLBACK: Domain = Domain {
    word: "misc",
    resource: "Item",
    snake: "item",
    prose: "item",
    plural: "items",
    prefix: "MSC",
    team: "Platform",
};

pub(crate) fn package_name(i: usize) -> String {
    let round = i / DOMAINS.len();
    if round == 0 {
        domain(i).word.to_string()
    } else {
        format!("{}{}", domain(i).word, round + 1)
    }
}

pub(crate) fn package_path(i: usize) -> String {
    format!("atlas.{}", package_name(i))
}
