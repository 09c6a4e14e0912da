// The seed data's vocabulary (../shared/data/seed): 9 countries, 10 products, and name parts
// in the style of its Faker-generated clients.

export const COUNTRIES = Object.freeze(['Belgium', 'Canada', 'France', 'Germany', 'Italy', 'Netherland', 'Spain', 'Switzerland', 'UK'] as const);

export const PRODUCTS = Object.freeze(['Charger', 'Headphones', 'Keyboard', 'Laptop', 'Monitor', 'Mouse', 'Phone', 'Speaker', 'Tablet', 'Webcam'] as const);

export const EMAIL_DOMAINS = Object.freeze(['example.com', 'example.net', 'example.org'] as const);

export const FIRST_NAMES = Object.freeze([
  'Amanda', 'Anthony', 'Brittany', 'Christopher', 'Dana', 'David', 'Emily', 'Gina', 'James', 'Jennifer',
  'Jessica', 'Jonathan', 'Karen', 'Laura', 'Lisa', 'Mark', 'Michael', 'Nathan', 'Nicole', 'Pamela',
  'Patrick', 'Paul', 'Rachel', 'Renee', 'Robert', 'Rose', 'Sandra', 'Sarah', 'Shane', 'Sharon',
  'Stephanie', 'Steven', 'Susan', 'Thomas', 'Tracy', 'William', 'Zachary', 'Amélie', 'Chloé', 'Luca',
] as const);

export const LAST_NAMES = Object.freeze([
  'Bernard', 'Blair', 'Campos', 'Carter', 'Cole', 'Davis', 'Farmer', 'Frazier', 'Harrell', 'Henderson',
  'Hensley', 'James', 'Lynch', 'Mayo', 'McKay', 'Miles', 'Miller', 'Morales', 'Parker', 'Patterson',
  'Reid', 'Rhodes', 'Rice', 'Rodriguez', 'Romero', 'Sanchez', 'Smith', 'Spence', 'Thomas', 'Wilkerson',
  "O'Neil", 'Dubois', 'Rossi', 'Müller', 'García', 'Janssens', 'de Vries', 'Fontaine', 'Moreau', 'Weber',
] as const);

export const TITLES = Object.freeze(['Dr.', 'Mr.', 'Mrs.', 'Ms.'] as const);
